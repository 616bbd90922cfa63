/**
 * The PostgreSQL schema, versioned in `store_schema` so later migrations can be appended to MIGRATIONS. Several
 * runtime processes may open the same database at once: migrations run under a transaction-scoped advisory lock.
 */
import type pg from 'pg';

const MIGRATIONS: string[] = [
  `
  CREATE TABLE events (
    position        bigint PRIMARY KEY,
    namespace       text NOT NULL,
    id              text NOT NULL,
    type            text COLLATE "C" NOT NULL,
    source          text NOT NULL,
    time            text NOT NULL,             -- RFC 3339 as given
    time_key        text COLLATE "C" NOT NULL, -- the same instant, sortable: UTC with nine fraction digits
    subject         text,
    datacontenttype text,
    data            json NOT NULL,
    stream          text NOT NULL,
    version         integer NOT NULL,
    process         text NOT NULL,
    own             bigint NOT NULL,           -- vector_clock ->> process
    vector_clock    json NOT NULL,
    correlation_id  text NOT NULL,
    causation_id    text,
    flow_id         text,
    node_id         text,
    revision        integer,
    metadata        json NOT NULL
  );
  CREATE UNIQUE INDEX events_by_id ON events (namespace, id);
  CREATE UNIQUE INDEX events_by_stream ON events (namespace, stream, version);
  CREATE INDEX events_by_namespace ON events (namespace, position);
  CREATE INDEX events_by_process ON events (namespace, process, own);
  CREATE INDEX events_by_correlation ON events (namespace, correlation_id, position);

  -- For events on process "owner": the points where their clock entry for "peer" changes (see ../causality.ts).
  CREATE TABLE clock_entries (
    namespace text NOT NULL,
    peer      text NOT NULL,
    owner     text NOT NULL,
    counter   bigint NOT NULL,
    own       bigint NOT NULL,
    PRIMARY KEY (namespace, peer, owner, counter, own)
  );

  CREATE TABLE namespaces (namespace text PRIMARY KEY, events bigint NOT NULL);
  -- The highest position ever assigned. Appends lock this row until they commit, so positions become visible
  -- in order: no reader sees position n + 1 before n.
  CREATE TABLE store_head (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), head bigint NOT NULL);
  INSERT INTO store_head (head) VALUES (0);

  CREATE TABLE snapshots (key text PRIMARY KEY, state json NOT NULL, position bigint NOT NULL);
  CREATE TABLE checkpoints (key text PRIMARY KEY, position bigint NOT NULL);

  CREATE TABLE flows (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    revision   integer NOT NULL,
    created_at text NOT NULL
  );
  CREATE TABLE flow_revisions (
    flow_id    text NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
    revision   integer NOT NULL,
    flow       json NOT NULL,
    created_at text NOT NULL,
    author     text,
    PRIMARY KEY (flow_id, revision)
  );
  CREATE TABLE deployments (
    flow_id     text PRIMARY KEY REFERENCES flows (id) ON DELETE CASCADE,
    revision    integer NOT NULL,
    deployed_at text NOT NULL
  );
  `,
];

/** An arbitrary but fixed advisory lock key for migrations. */
const MIGRATION_LOCK = 7_310_420_611;

export async function migrate(client: pg.PoolClient): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS store_schema (version integer NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM store_schema');
    let current = rows[0]?.version ?? 0;
    if (rows.length === 0) await client.query('INSERT INTO store_schema (version) VALUES (0)');
    if (current > MIGRATIONS.length) {
      throw new Error(`the database schema is version ${current}, newer than this Causeway knows (${MIGRATIONS.length})`);
    }
    for (; current < MIGRATIONS.length; current++) {
      await client.query(MIGRATIONS[current]!);
      await client.query('UPDATE store_schema SET version = $1', [current + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
