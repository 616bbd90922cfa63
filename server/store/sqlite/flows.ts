/** Flows and their revisions in the SQLite database, beside the events. */
import type Database from 'better-sqlite3';
import type { Flow, FlowDraft } from '../../../shared/flow.js';
import { flowExists, flowNotFound, revisionNotFound, staleRevision, toFlow } from '../flows.js';
import type { FlowRepository, FlowSummary, RevisionInfo } from '../types.js';
import type { Statements } from './rows.js';

const SQL = {
  latestRevision: `SELECT revision FROM flows WHERE id = ?`,
  insertFlow: `INSERT INTO flows (id, name, revision, created_at) VALUES (?, ?, ?, ?)`,
  updateFlow: `UPDATE flows SET name = ?, revision = ? WHERE id = ?`,
  insertRevision: `INSERT INTO flow_revisions (flow_id, revision, flow, created_at, author) VALUES (?, ?, ?, ?, ?)`,
  latest: `SELECT r.flow FROM flows AS f JOIN flow_revisions AS r ON r.flow_id = f.id AND r.revision = f.revision WHERE f.id = ?`,
  revision: `SELECT flow FROM flow_revisions WHERE flow_id = ? AND revision = ?`,
  revisions: `SELECT revision, created_at AS createdAt, author FROM flow_revisions WHERE flow_id = ? ORDER BY revision`,
  delete: `DELETE FROM flows WHERE id = ?`,
  list: `SELECT f.id, f.name, f.revision, d.revision AS deployed FROM flows AS f LEFT JOIN deployments AS d ON d.flow_id = f.id
    ORDER BY f.created_at, f.id`,
  deploy: `INSERT INTO deployments (flow_id, revision, deployed_at) VALUES (?, ?, ?)
    ON CONFLICT (flow_id) DO UPDATE SET revision = excluded.revision, deployed_at = excluded.deployed_at`,
  undeploy: `DELETE FROM deployments WHERE flow_id = ?`,
  deployments: `SELECT flow_id AS flowId, revision FROM deployments ORDER BY flow_id`,
};

const now = () => new Date().toISOString();
const parseFlow = (text: string) => JSON.parse(text) as Flow;

export class SqliteFlowRepository implements FlowRepository {
  constructor(
    private readonly db: Database.Database,
    private readonly statements: Statements,
  ) {}

  async create(draft: FlowDraft & { id: string }, author: string | null = null): Promise<Flow> {
    return this.db.transaction(() => {
      const existing = this.latestRevision(draft.id);
      if (existing !== null) throw flowExists(draft.id, existing);
      const flow = toFlow(draft.id, 1, draft);
      const createdAt = now();
      this.statements.get(SQL.insertFlow).run(flow.id, flow.name, 1, createdAt);
      this.statements.get(SQL.insertRevision).run(flow.id, 1, JSON.stringify(flow), createdAt, author);
      return flow;
    }).immediate();
  }

  async get(id: string): Promise<Flow | null> {
    const text = this.statements.get(SQL.latest).pluck().get(id) as string | undefined;
    return text === undefined ? null : parseFlow(text);
  }

  async update(id: string, draft: FlowDraft, expectedRevision: number, author: string | null = null): Promise<Flow> {
    return this.db.transaction(() => {
      const latest = this.latestRevision(id);
      if (latest === null) throw flowNotFound(id);
      if (latest !== expectedRevision) throw staleRevision(id, expectedRevision, latest);
      const flow = toFlow(id, latest + 1, draft);
      this.statements.get(SQL.updateFlow).run(flow.name, flow.revision, id);
      this.statements.get(SQL.insertRevision).run(id, flow.revision, JSON.stringify(flow), now(), author);
      return flow;
    }).immediate();
  }

  async delete(id: string): Promise<boolean> {
    return this.statements.get(SQL.delete).run(id).changes > 0;
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
    this.db.transaction(() => {
      if (this.latestRevision(id) === null) throw flowNotFound(id);
      if (revision === null) {
        this.statements.get(SQL.undeploy).run(id);
        return;
      }
      if (this.statements.get(SQL.revision).pluck().get(id, revision) === undefined) throw revisionNotFound(id, revision);
      this.statements.get(SQL.deploy).run(id, revision, now());
    }).immediate();
  }

  async deployments(): Promise<{ flowId: string; revision: number }[]> {
    return this.statements.get(SQL.deployments).all() as { flowId: string; revision: number }[];
  }

  private latestRevision(id: string): number | null {
    const revision = this.statements.get(SQL.latestRevision).pluck().get(id) as number | undefined;
    return revision ?? null;
  }
}
