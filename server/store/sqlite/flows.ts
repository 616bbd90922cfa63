/**
 * Flows and their revisions in the SQLite database, beside the events. Reads use the store's connection; writes go
 * to the writing connection (write-connection.ts) like every other write, each as one transaction whose statements
 * check what they change themselves: the store's connection never waits on the database's write lock, which would
 * hold up the event loop (and every request) while a group commit is under way. A write that changed nothing is
 * explained afterwards by reading what is stored.
 */
import type { Flow, FlowDraft } from '../../../shared/flow.js';
import { flowExists, flowNotFound, revisionNotFound, staleRevision, toFlow } from '../flows.js';
import type { FlowRepository, FlowSummary, RevisionInfo } from '../types.js';
import type { Statements } from './rows.js';
import type { WriteConnection } from './write-connection.js';

/** `changes()` is the rows the transaction's previous statement changed: a revision is stored only beside its flow row. */
const SQL = {
  latestRevision: `SELECT revision FROM flows WHERE id = ?`,
  insertFlow: `INSERT INTO flows (id, name, revision, created_at) VALUES (?, ?, 1, ?) ON CONFLICT (id) DO NOTHING`,
  updateFlow: `UPDATE flows SET name = ?, revision = revision + 1 WHERE id = ? AND revision = ?`,
  insertRevision: `INSERT INTO flow_revisions (flow_id, revision, flow, created_at, author) SELECT ?, ?, ?, ?, ? WHERE changes() = 1`,
  latest: `SELECT r.flow FROM flows AS f JOIN flow_revisions AS r ON r.flow_id = f.id AND r.revision = f.revision WHERE f.id = ?`,
  revision: `SELECT flow FROM flow_revisions WHERE flow_id = ? AND revision = ?`,
  revisions: `SELECT revision, created_at AS createdAt, author FROM flow_revisions WHERE flow_id = ? ORDER BY revision`,
  delete: `DELETE FROM flows WHERE id = ?`,
  list: `SELECT f.id, f.name, f.revision, d.revision AS deployed FROM flows AS f LEFT JOIN deployments AS d ON d.flow_id = f.id
    ORDER BY f.created_at, f.id`,
  deploy: `INSERT INTO deployments (flow_id, revision, deployed_at)
    SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM flow_revisions WHERE flow_id = ? AND revision = ?)
    ON CONFLICT (flow_id) DO UPDATE SET revision = excluded.revision, deployed_at = excluded.deployed_at`,
  undeploy: `DELETE FROM deployments WHERE flow_id = ?`,
  deployments: `SELECT flow_id AS flowId, revision FROM deployments ORDER BY flow_id`,
};

/**
 * Tries a guarded write again when what is read afterwards does not explain why it changed nothing (the flow was
 * deleted, or deleted and created again, in between): rare, and settled within a few tries.
 */
const MAX_TRIES = 5;

const now = () => new Date().toISOString();
const parseFlow = (text: string) => JSON.parse(text) as Flow;

export class SqliteFlowRepository implements FlowRepository {
  constructor(
    private readonly statements: Statements,
    private readonly writer: WriteConnection,
  ) {}

  async create(draft: FlowDraft & { id: string }, author: string | null = null): Promise<Flow> {
    const flow = toFlow(draft.id, 1, draft);
    for (let attempt = 1; ; attempt++) {
      const createdAt = now();
      const [created] = await this.writer.run([
        [SQL.insertFlow, [flow.id, flow.name, createdAt]],
        [SQL.insertRevision, [flow.id, 1, JSON.stringify(flow), createdAt, author]],
      ]);
      if (created === 1) return flow;
      const existing = this.latestRevision(draft.id);
      if (existing !== null || attempt === MAX_TRIES) throw flowExists(draft.id, existing ?? 1);
    }
  }

  async get(id: string): Promise<Flow | null> {
    const text = this.statements.get(SQL.latest).pluck().get(id) as string | undefined;
    return text === undefined ? null : parseFlow(text);
  }

  async update(id: string, draft: FlowDraft, expectedRevision: number, author: string | null = null): Promise<Flow> {
    const flow = toFlow(id, expectedRevision + 1, draft);
    for (let attempt = 1; ; attempt++) {
      const [updated] = await this.writer.run([
        [SQL.updateFlow, [flow.name, id, expectedRevision]],
        [SQL.insertRevision, [id, flow.revision, JSON.stringify(flow), now(), author]],
      ]);
      if (updated === 1) return flow;
      const latest = this.latestRevision(id);
      if (latest === null) throw flowNotFound(id);
      if (latest !== expectedRevision || attempt === MAX_TRIES) throw staleRevision(id, expectedRevision, latest);
    }
  }

  async delete(id: string): Promise<boolean> {
    const [deleted] = await this.writer.run([[SQL.delete, [id]]]);
    return deleted! > 0;
  }

  async list(): Promise<FlowSummary[]> {
    const rows = this.statements.get(SQL.list).all() as { id: string; name: string; revision: number; deployed: number | null }[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      revision: r.revision,
      deployedRevision: r.deployed,
      status: r.deployed === null ? 'stopped' : 'running',
    }));
  }

  async revisions(id: string): Promise<RevisionInfo[]> {
    return this.statements.get(SQL.revisions).all(id) as RevisionInfo[];
  }

  async revision(id: string, revision: number): Promise<Flow | null> {
    const text = this.statements.get(SQL.revision).pluck().get(id, revision) as string | undefined;
    return text === undefined ? null : parseFlow(text);
  }

  async setDeployment(id: string, revision: number | null): Promise<void> {
    if (revision === null) {
      const [undeployed] = await this.writer.run([[SQL.undeploy, [id]]]);
      if (undeployed === 0 && this.latestRevision(id) === null) throw flowNotFound(id);
      return;
    }
    const [deployed] = await this.writer.run([[SQL.deploy, [id, revision, now(), id, revision]]]);
    if (deployed === 1) return;
    throw this.latestRevision(id) === null ? flowNotFound(id) : revisionNotFound(id, revision);
  }

  async deployments(): Promise<{ flowId: string; revision: number }[]> {
    return this.statements.get(SQL.deployments).all() as { flowId: string; revision: number }[];
  }

  private latestRevision(id: string): number | null {
    const revision = this.statements.get(SQL.latestRevision).pluck().get(id) as number | undefined;
    return revision ?? null;
  }
}
