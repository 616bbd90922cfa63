/** Replays in the PostgreSQL database, beside the events of their namespaces. */
import type pg from 'pg';
import { replayListLimit, type ReplayListOptions, type ReplayRecord, type ReplayRepository } from '../replays.js';
import { toJson } from '../validate.js';

const COLUMNS = `id, process, state, started_at AS "startedAt", finished_at AS "finishedAt", error, details`;

const SQL = {
  save: `INSERT INTO replays (id, process, state, started_at, finished_at, error, details) VALUES ($1, $2, $3, $4, $5, $6, $7::json)
    ON CONFLICT (id) DO UPDATE SET process = excluded.process, state = excluded.state, started_at = excluded.started_at,
      finished_at = excluded.finished_at, error = excluded.error, details = excluded.details`,
  get: `SELECT ${COLUMNS} FROM replays WHERE id = $1`,
  list: `SELECT ${COLUMNS} FROM replays WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR process = $2)
    ORDER BY started_at DESC, seq DESC LIMIT $3`,
};

export class PostgresReplayRepository implements ReplayRepository {
  constructor(private readonly pool: pg.Pool) {}

  async save(r: ReplayRecord): Promise<void> {
    await this.pool.query(SQL.save, [r.id, r.process, r.state, r.startedAt, r.finishedAt, r.error, toJson(r.details, r.id, 'details')]);
  }

  async get(id: string): Promise<ReplayRecord | null> {
    const { rows } = await this.pool.query<ReplayRecord>(SQL.get, [id]);
    return rows[0] ?? null;
  }

  async list(options: ReplayListOptions = {}): Promise<ReplayRecord[]> {
    const { rows } = await this.pool.query<ReplayRecord>(SQL.list, [options.state ?? null, options.process ?? null, replayListLimit(options.limit)]);
    return rows;
  }
}
