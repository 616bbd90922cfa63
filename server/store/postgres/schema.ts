/**
 * The PostgreSQL schema, versioned in `store_schema` so later migrations can be appended to MIGRATIONS. Several
 * runtime processes may open the same database at once: migrations run under a transaction-scoped advisory lock.
 */
import type pg from 'pg';
import { lanesOfLate } from '../causality.js';
import { DEFAULT_SNAPSHOT_HISTORY } from '../snapshot-history.js';

/**
 * Causal cones counted by two index seeks and listed lane by lane (see ../causality.ts): each event's ordinal among
 * its process's events by own counter ("seq") and its lane; existing events are numbered as the writer would have.
 */
export async function numberByProcess(client: pg.PoolClient | pg.Client): Promise<void> {
  await client.query(`
    ALTER TABLE events ADD COLUMN seq bigint NOT NULL DEFAULT 0, ADD COLUMN lane integer NOT NULL DEFAULT 0;
    DROP INDEX events_by_process;
    UPDATE events SET seq = numbered.seq, lane = numbered.late::integer
    FROM (
      SELECT position,
             row_number() OVER (PARTITION BY namespace, process ORDER BY own, position) AS seq,
             coalesce(max(own) OVER (PARTITION BY namespace, process ORDER BY position
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) > own AS late
      FROM events
    ) AS numbered
    WHERE events.position = numbered.position;
    CREATE INDEX events_by_process ON events (namespace, process, own, seq) INCLUDE (lane, position);
    CREATE INDEX events_by_lane ON events (namespace, process, lane, own, seq) INCLUDE (position) WHERE lane > 0;
  `);
  // Late events are in lane 1 so far; each process's go to their lanes in the order they arrived.
  const { rows: late } = await client.query<{ position: string; namespace: string; process: string; own: string }>(
    `SELECT position, namespace, process, own FROM events WHERE lane > 0 ORDER BY namespace, process, position`,
  );
  const lanes = lanesOfLate(late.map((event) => ({ ...event, own: Number(event.own) })));
  const moved = late.flatMap((event, i) => (lanes[i] !== 1 ? [{ position: event.position, lane: lanes[i]! }] : []));
  await client.query(
    `UPDATE events AS e SET lane = m.lane FROM unnest($1::bigint[], $2::integer[]) AS m (position, lane) WHERE e.position = m.position`,
    [moved.map((m) => m.position), moved.map((m) => m.lane)],
  );
}

type Migration = string | ((client: pg.PoolClient) => Promise<void>);

const MIGRATIONS: Migration[] = [
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
  // Replays: their status and result outlive the server process that ran them (the events stay in their namespace).
  `
  CREATE TABLE replays (
    seq         bigserial PRIMARY KEY, -- order of first save: ties of started_at list the later one first
    id          text NOT NULL UNIQUE,
    process     text NOT NULL,
    state       text NOT NULL,
    started_at  text COLLATE "C" NOT NULL,
    finished_at text,
    error       text,
    details     json NOT NULL          -- request, counts, diff, listed changes, recorded effects
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
  // Several appends in flight at once (see writer.ts): positions are reserved, not read from a locked head row; each
  // process's numbering lives in a row of its own instead of being read from its events under that lock; a namespace's
  // event count is the sum of its processes'. Positions are only read within a namespace, so the namespace's position
  // index is the primary key and no index of positions alone is kept.
  `
  CREATE TABLE position_counter (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), next bigint NOT NULL);
  INSERT INTO position_counter (next) SELECT head + 1 FROM store_head;
  -- Positions from "low" on taken by the transaction "xid" and not yet settled (see positions.ts).
  CREATE TABLE position_reservations (xid xid8 NOT NULL, low bigint NOT NULL);

  -- Per process and namespace: how many events it has, the own counter and clock of its latest (highest own counter),
  -- the highest own counter of each of its lanes 1, 2, … (../causality.ts) and the transaction that wrote this last.
  CREATE TABLE process_heads (
    namespace text NOT NULL,
    process   text NOT NULL,
    events    bigint NOT NULL,
    own       bigint NOT NULL,
    clock     json NOT NULL,
    lanes     json NOT NULL,
    writer    xid8,
    PRIMARY KEY (namespace, process)
  );
  INSERT INTO process_heads (namespace, process, events, own, clock, lanes)
  SELECT l.namespace, l.process, l.seq, l.own, l.vector_clock,
         coalesce((SELECT json_agg(t.top ORDER BY t.lane)
                   FROM (SELECT x.lane, max(x.own) AS top FROM events AS x
                         WHERE x.namespace = l.namespace AND x.process = l.process AND x.lane > 0 GROUP BY x.lane) AS t), '[]')
  FROM (SELECT DISTINCT ON (namespace, process) namespace, process, own, seq, vector_clock
        FROM events ORDER BY namespace, process, own DESC, seq DESC) AS l;

  DROP TABLE namespaces;
  DROP TABLE store_head;
  ALTER TABLE events DROP CONSTRAINT events_pkey;
  DROP INDEX events_by_namespace;
  ALTER TABLE events ADD PRIMARY KEY (namespace, position);
  `,
  // A cluster of replicas (cluster.ts): its name, its members' heartbeats and the leases of flow partitions.
  `
  CREATE TABLE cluster_info (one boolean PRIMARY KEY DEFAULT true CHECK (one), name text NOT NULL);
  CREATE TABLE cluster_members (
    name       text PRIMARY KEY,
    started_at timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL
  );
  CREATE TABLE partition_leases (
    flow_id    text NOT NULL,
    partition  integer NOT NULL,
    owner      text,
    epoch      bigint NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (flow_id, partition)
  );
  CREATE INDEX partition_leases_by_owner ON partition_leases (owner);
  `,
  // Snapshot history (../snapshot-history.ts): each snapshot written is also kept, by the position it covers, up to
  // the newest "keep" per key, so a replay can start an actor from the state it had at an earlier position. A trigger
  // keeps it, so every path that writes a snapshot (fenced ones too) keeps its history.
  `
  CREATE TABLE snapshot_history (key text NOT NULL, position bigint NOT NULL, state json NOT NULL, PRIMARY KEY (key, position));
  CREATE TABLE snapshot_history_keep (one boolean PRIMARY KEY DEFAULT true CHECK (one), keep integer NOT NULL CHECK (keep > 0));
  INSERT INTO snapshot_history_keep (keep) VALUES (${DEFAULT_SNAPSHOT_HISTORY});
  CREATE FUNCTION snapshot_history_add() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO snapshot_history (key, position, state) VALUES (NEW.key, NEW.position, NEW.state)
      ON CONFLICT (key, position) DO UPDATE SET state = excluded.state;
    DELETE FROM snapshot_history WHERE key = NEW.key AND position < (
      SELECT h.position FROM snapshot_history AS h WHERE h.key = NEW.key ORDER BY h.position DESC
      LIMIT 1 OFFSET (SELECT keep - 1 FROM snapshot_history_keep));
    RETURN NEW;
  END $$;
  CREATE TRIGGER snapshots_keep_history AFTER INSERT OR UPDATE ON snapshots FOR EACH ROW EXECUTE FUNCTION snapshot_history_add();
  `,
  // A correlation chain's root is its own correlation: found by its id (query.ts), so only the rest of a chain needs
  // an entry in the correlation index. Most events a source appends are roots: each saves an index entry.
  `
  DROP INDEX events_by_correlation;
  CREATE INDEX events_by_correlation ON events (namespace, correlation_id, position) WHERE correlation_id <> id;
  `,
  // The timeline's density from counts kept per second (../density.ts): each namespace's events per second and
  // process, written in the transaction that appends them (density.ts), counted here for the events already stored;
  // and the events by time, for the range's ends and the parts of a second a slice boundary cuts. A second is read
  // from the key's first 19 characters as UTC; PostgreSQL has no year 0, so those of year 0000 are read 400 years
  // later (a whole cycle of the calendar, 146,097 days) and moved back.
  `
  CREATE TABLE density_counts (
    namespace text NOT NULL,
    start     bigint NOT NULL, -- epoch ms of the second the events' times fall in
    process   text NOT NULL,
    events    bigint NOT NULL,
    PRIMARY KEY (namespace, start, process)
  );
  INSERT INTO density_counts (namespace, start, process, events)
  SELECT namespace,
         CASE WHEN left(time_key, 4) = '0000'
              THEN (extract(epoch FROM ('0400' || substr(time_key, 5, 15) || 'Z')::timestamptz) * 1000)::bigint - 146097::bigint * 86400000
              ELSE (extract(epoch FROM (left(time_key, 19) || 'Z')::timestamptz) * 1000)::bigint END,
         process, count(*)
  FROM events GROUP BY 1, 2, 3;
  CREATE INDEX events_by_time ON events (namespace, time_key);
  `,
];

/** The version a database has once every migration ran. */
export const SCHEMA_VERSION = MIGRATIONS.length;

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
      const migration = MIGRATIONS[current]!;
      if (typeof migration === 'string') await client.query(migration);
      else await migration(client);
      await client.query('UPDATE store_schema SET version = $1', [current + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
