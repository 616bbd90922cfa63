/** Replays in the SQLite database, beside the events of their namespaces. */
import { replayListLimit, type ReplayListOptions, type ReplayRecord, type ReplayRecordState, type ReplayRepository } from '../replays.js';
import { toJson } from '../validate.js';
import type { Statements } from './rows.js';
import type { WriteConnection } from './write-connection.js';

const COLUMNS = `id, process, state, started_at AS startedAt, finished_at AS finishedAt, error, details`;

const SQL = {
  save: `INSERT INTO replays (id, process, state, started_at, finished_at, error, details) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET process = excluded.process, state = excluded.state, started_at = excluded.started_at,
      finished_at = excluded.finished_at, error = excluded.error, details = excluded.details`,
  get: `SELECT ${COLUMNS} FROM replays WHERE id = ?`,
  list: `SELECT ${COLUMNS} FROM replays WHERE (@state IS NULL OR state = @state) AND (@process IS NULL OR process = @process)
    ORDER BY started_at DESC, seq DESC LIMIT @limit`,
};

interface ReplayRow {
  id: string;
  process: string;
  state: ReplayRecordState;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  details: string;
}

const toRecord = (row: ReplayRow): ReplayRecord => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> });

export class SqliteReplayRepository implements ReplayRepository {
  constructor(
    private readonly statements: Statements,
    /** Saves go where the events are written: a replay's progress never waits on the event log's lock. */
    private readonly writer: WriteConnection,
  ) {}

  async save(r: ReplayRecord): Promise<void> {
    await this.writer.run([[SQL.save, [r.id, r.process, r.state, r.startedAt, r.finishedAt, r.error, toJson(r.details, r.id, 'details')]]]);
  }

  async get(id: string): Promise<ReplayRecord | null> {
    const row = this.statements.get(SQL.get).get(id) as ReplayRow | undefined;
    return row ? toRecord(row) : null;
  }

  async list(options: ReplayListOptions = {}): Promise<ReplayRecord[]> {
    const rows = this.statements
      .get(SQL.list)
      .all({ state: options.state ?? null, process: options.process ?? null, limit: replayListLimit(options.limit) }) as ReplayRow[];
    return rows.map(toRecord);
  }
}
