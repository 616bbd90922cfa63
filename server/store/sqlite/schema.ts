/**
 * The SQLite database: pragmas and the schema, versioned with `PRAGMA user_version` so later migrations can be
 * appended to MIGRATIONS.
 */
import Database from 'better-sqlite3';
import { FALLBACK_CHECKPOINT_PAGES } from './checkpointer.js';
import { lanesOfLate } from '../causality.js';
import { DEFAULT_SNAPSHOT_HISTORY } from '../snapshot-history.js';

/**
 * Causal cones counted by two index seeks and listed lane by lane (see ../causality.ts): each event's ordinal among
 * its process's events by own counter ("seq") and its lane; existing events are numbered as the writer would have.
 */
export function numberByProcess(db: Database.Database): void {
  db.exec(`
    ALTER TABLE events ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN lane INTEGER NOT NULL DEFAULT 0;
    DROP INDEX events_by_process;
    UPDATE events SET seq = numbered.seq, lane = numbered.late
    FROM (
      SELECT position,
             row_number() OVER (PARTITION BY namespace, process ORDER BY own, position) AS seq,
             coalesce(max(own) OVER (PARTITION BY namespace, process ORDER BY position
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) > own AS late
      FROM events
    ) AS numbered
    WHERE events.position = numbered.position;
    CREATE INDEX events_by_process ON events (namespace, process, own, seq, lane);
    CREATE INDEX events_by_lane ON events (namespace, process, lane, own, seq) WHERE lane > 0;
  `);
  // Late events are in lane 1 so far; each process's go to their lanes in the order they arrived.
  const late = db.prepare(`SELECT position, namespace, process, own FROM events INDEXED BY events_by_lane
    WHERE lane > 0 ORDER BY namespace, process, position`).all() as { position: number; namespace: string; process: string; own: number }[];
  const setLane = db.prepare(`UPDATE events SET lane = ? WHERE position = ?`);
  lanesOfLate(late).forEach((lane, i) => {
    if (lane !== 1) setLane.run(lane, late[i]!.position);
  });
}

type Migration = string | ((db: Database.Database) => void);

const MIGRATIONS: Migration[] = [
  `
  CREATE TABLE events (
    position        INTEGER PRIMARY KEY,
    namespace       TEXT NOT NULL,
    id              TEXT NOT NULL,
    type            TEXT NOT NULL,
    source          TEXT NOT NULL,
    time            TEXT NOT NULL,    -- RFC 3339 as given
    time_key        TEXT NOT NULL,    -- the same instant, sortable: UTC with nine fraction digits
    subject         TEXT,
    datacontenttype TEXT,
    data            TEXT NOT NULL,    -- JSON
    stream          TEXT NOT NULL,
    version         INTEGER NOT NULL,
    process         TEXT NOT NULL,
    own             INTEGER NOT NULL, -- vector_clock[process]
    vector_clock    TEXT NOT NULL,    -- JSON
    correlation_id  TEXT NOT NULL,
    causation_id    TEXT,
    flow_id         TEXT,
    node_id         TEXT,
    revision        INTEGER,
    metadata        TEXT NOT NULL     -- JSON
  );
  CREATE UNIQUE INDEX events_by_id ON events (namespace, id);
  CREATE UNIQUE INDEX events_by_stream ON events (namespace, stream, version);
  -- Index entries end with the rowid (the position), so this one reads a namespace in position order.
  CREATE INDEX events_by_namespace ON events (namespace);
  CREATE INDEX events_by_process ON events (namespace, process, own);
  CREATE INDEX events_by_correlation ON events (namespace, correlation_id);

  -- For events on process "owner": the points where their clock entry for "peer" changes (see causality.ts).
  CREATE TABLE clock_entries (
    namespace TEXT NOT NULL,
    peer      TEXT NOT NULL,
    owner     TEXT NOT NULL,
    counter   INTEGER NOT NULL,
    own       INTEGER NOT NULL,
    PRIMARY KEY (namespace, peer, owner, counter, own)
  ) WITHOUT ROWID;

  CREATE TABLE namespaces (namespace TEXT PRIMARY KEY, events INTEGER NOT NULL) WITHOUT ROWID;
  -- "head": the highest position ever assigned, kept when a namespace holding the top positions is dropped.
  CREATE TABLE store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;

  CREATE TABLE snapshots (key TEXT PRIMARY KEY, state TEXT NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE checkpoints (key TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID;

  CREATE TABLE flows (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE flow_revisions (
    flow_id    TEXT NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
    revision   INTEGER NOT NULL,
    flow       TEXT NOT NULL, -- JSON of the Flow
    created_at TEXT NOT NULL,
    author     TEXT,
    PRIMARY KEY (flow_id, revision)
  ) WITHOUT ROWID;
  CREATE TABLE deployments (
    flow_id     TEXT PRIMARY KEY REFERENCES flows (id) ON DELETE CASCADE,
    revision    INTEGER NOT NULL,
    deployed_at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // Cheaper appends to the live namespace, which takes most of them: roots (correlation id = own id) are found by
  // id, so the correlation index leaves them out; live events are read by position (the rowid), so the namespace
  // index holds only the other namespaces.
  `
  DROP INDEX events_by_correlation;
  CREATE INDEX events_by_correlation ON events (namespace, correlation_id) WHERE correlation_id <> id;
  DROP INDEX events_by_namespace;
  CREATE INDEX events_by_namespace ON events (namespace) WHERE namespace <> 'live';
  `,
  // Replays: their status and result outlive the server process that ran them (the events stay in their namespace).
  `
  CREATE TABLE replays (
    seq         INTEGER PRIMARY KEY, -- order of first save: ties of started_at list the later one first
    id          TEXT NOT NULL UNIQUE,
    process     TEXT NOT NULL,
    state       TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    error       TEXT,
    details     TEXT NOT NULL        -- JSON: request, counts, diff, listed changes, recorded effects
  );
  CREATE INDEX replays_by_start ON replays (started_at, seq);
  CREATE INDEX replays_by_state ON replays (state, process);
  `,
  numberByProcess,
  // CloudEvents identity (../identity.ts): an event is its source and id, unique per namespace, so two sources may
  // use the same id. A lookup by id alone (get, a correlation chain's root) reads the index's first columns.
  `
  DROP INDEX events_by_id;
  CREATE UNIQUE INDEX events_by_id ON events (namespace, id, source);
  `,
  // Snapshot history (../snapshot-history.ts): each snapshot written is also kept, by the position it covers, up to
  // the newest "keep" per key, so a replay can start an actor from the state it had at an earlier position. (Not
  // INSERT OR REPLACE: in a trigger the outer statement's conflict policy overrides the inner one.)
  `
  CREATE TABLE snapshot_history (key TEXT NOT NULL, position INTEGER NOT NULL, state TEXT NOT NULL, PRIMARY KEY (key, position)) WITHOUT ROWID;
  CREATE TABLE snapshot_history_keep (one INTEGER PRIMARY KEY CHECK (one = 1), keep INTEGER NOT NULL CHECK (keep > 0));
  INSERT INTO snapshot_history_keep (one, keep) VALUES (1, ${DEFAULT_SNAPSHOT_HISTORY});
  CREATE TRIGGER snapshots_keep_history_on_insert AFTER INSERT ON snapshots BEGIN
    DELETE FROM snapshot_history WHERE key = NEW.key AND position = NEW.position;
    INSERT INTO snapshot_history (key, position, state) VALUES (NEW.key, NEW.position, NEW.state);
    DELETE FROM snapshot_history WHERE key = NEW.key AND position < (
      SELECT h.position FROM snapshot_history AS h WHERE h.key = NEW.key ORDER BY h.position DESC
      LIMIT 1 OFFSET (SELECT keep - 1 FROM snapshot_history_keep));
  END;
  CREATE TRIGGER snapshots_keep_history_on_update AFTER UPDATE ON snapshots BEGIN
    DELETE FROM snapshot_history WHERE key = NEW.key AND position = NEW.position;
    INSERT INTO snapshot_history (key, position, state) VALUES (NEW.key, NEW.position, NEW.state);
    DELETE FROM snapshot_history WHERE key = NEW.key AND position < (
      SELECT h.position FROM snapshot_history AS h WHERE h.key = NEW.key ORDER BY h.position DESC
      LIMIT 1 OFFSET (SELECT keep - 1 FROM snapshot_history_keep));
  END;
  `,
  // The timeline's density from counts kept per second (../density.ts): each namespace's events per second and
  // process, written in the transaction that appends them (writer.ts), counted here for the events already stored;
  // and the events by time, for the range's ends and the parts of a second a slice boundary cuts.
  `
  CREATE TABLE density_counts (
    namespace TEXT NOT NULL,
    start     INTEGER NOT NULL, -- epoch ms of the second the events' times fall in
    process   TEXT NOT NULL,
    events    INTEGER NOT NULL,
    PRIMARY KEY (namespace, start, process)
  ) WITHOUT ROWID;
  INSERT INTO density_counts (namespace, start, process, events)
    SELECT namespace, unixepoch(substr(time_key, 1, 19)) * 1000, process, count(*) FROM events GROUP BY 1, 2, 3;
  CREATE INDEX events_by_time ON events (namespace, time_key);
  `,
];

/** The settings of every connection the store opens (the writing connection's too: see write-connection.ts). */
export const CONNECTION_PRAGMAS = [
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  'cache_size = -32000',
  // A worker checkpoints (checkpointer.ts); the connections only if the WAL runs away. Truncated afterwards.
  `wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`,
  'journal_size_limit = 67108864',
  'temp_store = MEMORY',
];

export function openDatabase(path: string): Database.Database {
  const db = new Database(path);
  try {
    if (path !== ':memory:' && path !== '') db.pragma('journal_mode = WAL');
    for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`the database schema is version ${current}, newer than this Causeway knows (${MIGRATIONS.length})`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      const migration = MIGRATIONS[version]!;
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
