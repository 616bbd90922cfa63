/** Flows and their revisions in the PostgreSQL database, beside the events. */
import type pg from 'pg';
import type { Flow, FlowDraft } from '../../../shared/flow.js';
import { flowExists, flowNotFound, revisionNotFound, staleRevision, toFlow } from '../flows.js';
import type { FlowRepository, FlowSummary, RevisionInfo } from '../types.js';
import { withTransaction } from './transaction.js';

const SQL = {
  lockFlow: `SELECT revision FROM flows WHERE id = $1 FOR UPDATE`,
  insertFlow: `INSERT INTO flows (id, name, revision, created_at) VALUES ($1, $2, 1, $3) ON CONFLICT (id) DO NOTHING`,
  updateFlow: `UPDATE flows SET name = $1, revision = $2 WHERE id = $3`,
  insertRevision: `INSERT INTO flow_revisions (flow_id, revision, flow, created_at, author) VALUES ($1, $2, $3::json, $4, $5)`,
  latest: `SELECT r.flow FROM flows AS f JOIN flow_revisions AS r ON r.flow_id = f.id AND r.revision = f.revision WHERE f.id = $1`,
  revision: `SELECT flow FROM flow_revisions WHERE flow_id = $1 AND revision = $2`,
  revisions: `SELECT revision, created_at AS "createdAt", author FROM flow_revisions WHERE flow_id = $1 ORDER BY revision`,
  delete: `DELETE FROM flows WHERE id = $1`,
  list: `SELECT f.id, f.name, f.revision, d.revision AS deployed FROM flows AS f LEFT JOIN deployments AS d ON d.flow_id = f.id
    ORDER BY f.created_at, f.id`,
  deploy: `INSERT INTO deployments (flow_id, revision, deployed_at) VALUES ($1, $2, $3)
    ON CONFLICT (flow_id) DO UPDATE SET revision = excluded.revision, deployed_at = excluded.deployed_at`,
  undeploy: `DELETE FROM deployments WHERE flow_id = $1`,
  deployments: `SELECT flow_id AS "flowId", revision FROM deployments ORDER BY flow_id`,
};

const now = () => new Date().toISOString();

export class PostgresFlowRepository implements FlowRepository {
  constructor(private readonly pool: pg.Pool) {}

  async create(draft: FlowDraft & { id: string }, author: string | null = null): Promise<Flow> {
    return this.transaction(async (client) => {
      const flow = toFlow(draft.id, 1, draft);
      const createdAt = now();
      const inserted = await client.query(SQL.insertFlow, [flow.id, flow.name, createdAt]);
      if (inserted.rowCount === 0) {
        const existing = await client.query<{ revision: number }>(SQL.lockFlow, [draft.id]);
        throw flowExists(draft.id, existing.rows[0]?.revision ?? 1);
      }
      await client.query(SQL.insertRevision, [flow.id, 1, JSON.stringify(flow), createdAt, author]);
      return flow;
    });
  }

  async get(id: string): Promise<Flow | null> {
    const { rows } = await this.pool.query<{ flow: Flow }>(SQL.latest, [id]);
    return rows[0]?.flow ?? null;
  }

  async update(id: string, draft: FlowDraft, expectedRevision: number, author: string | null = null): Promise<Flow> {
    return this.transaction(async (client) => {
      const latest = (await client.query<{ revision: number }>(SQL.lockFlow, [id])).rows[0]?.revision;
      if (latest === undefined) throw flowNotFound(id);
      if (latest !== expectedRevision) throw staleRevision(id, expectedRevision, latest);
      const flow = toFlow(id, latest + 1, draft);
      await client.query(SQL.updateFlow, [flow.name, flow.revision, id]);
      await client.query(SQL.insertRevision, [id, flow.revision, JSON.stringify(flow), now(), author]);
      return flow;
    });
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.pool.query(SQL.delete, [id])).rowCount ?? 0) > 0;
  }

  async list(): Promise<FlowSummary[]> {
    const { rows } = await this.pool.query<{ id: string; name: string; revision: number; deployed: number | null }>(SQL.list);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      revision: r.revision,
      deployedRevision: r.deployed,
      status: r.deployed === null ? 'stopped' : 'running',
    }));
  }

  async revisions(id: string): Promise<RevisionInfo[]> {
    return (await this.pool.query<RevisionInfo>(SQL.revisions, [id])).rows;
  }

  async revision(id: string, revision: number): Promise<Flow | null> {
    if (!Number.isSafeInteger(revision)) return null;
    const { rows } = await this.pool.query<{ flow: Flow }>(SQL.revision, [id, revision]);
    return rows[0]?.flow ?? null;
  }

  async setDeployment(id: string, revision: number | null): Promise<void> {
    await this.transaction(async (client) => {
      if ((await client.query(SQL.lockFlow, [id])).rowCount === 0) throw flowNotFound(id);
      if (revision === null) {
        await client.query(SQL.undeploy, [id]);
        return;
      }
      const found = Number.isSafeInteger(revision) && (await client.query(SQL.revision, [id, revision])).rowCount !== 0;
      if (!found) throw revisionNotFound(id, revision);
      await client.query(SQL.deploy, [id, revision, now()]);
    });
  }

  async deployments(): Promise<{ flowId: string; revision: number }[]> {
    return (await this.pool.query<{ flowId: string; revision: number }>(SQL.deployments)).rows;
  }

  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, work);
  }
}
