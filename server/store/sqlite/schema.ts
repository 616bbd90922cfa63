/**
 * The SQLite database: pragmas and the schema, versioned with `PRAGMA user_version` so later migrations can be
 * appended to MIGRATIONS.
 */
import Database from 'better-sqlite3';

const MIGRATIONS: string[] = [
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
];

export function openDatabase(path: string): Database.Database {
  const db = new Database(path);
  try {
    if (path !== ':memory:' && path !== '') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -32000');
    // Checkpoint (and sync the database file) every ~40 MB of WAL rather than every 4 MB; truncate it afterwards.
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('journal_size_limit = 67108864');
    db.pragma('temp_store = MEMORY');
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
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
