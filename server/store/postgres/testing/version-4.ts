/**
 * A database of this store turned back into what schema version 4 made of the same events — one transaction at a time
 * behind a locked head row, per-namespace event counts, the positions' own index — for tests of the migration that
 * follows it.
 */
import type pg from 'pg';

export async function backToVersion4(client: pg.Client): Promise<void> {
  await client.query(`
    CREATE TABLE namespaces (namespace text PRIMARY KEY, events bigint NOT NULL);
    INSERT INTO namespaces (namespace, events) SELECT namespace, count(*) FROM events GROUP BY namespace;
    CREATE TABLE store_head (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), head bigint NOT NULL);
    INSERT INTO store_head (head) SELECT next - 1 FROM position_counter;
    DROP TABLE position_counter, position_reservations, process_heads;
    DROP TABLE cluster_info, cluster_members, partition_leases;
    DROP TRIGGER snapshots_keep_history ON snapshots;
    DROP FUNCTION snapshot_history_add();
    DROP TABLE snapshot_history, snapshot_history_keep;
    DROP TABLE density_counts;
    DROP INDEX events_by_time;
    DROP INDEX events_by_correlation;
    CREATE INDEX events_by_correlation ON events (namespace, correlation_id, position);
    ALTER TABLE events DROP CONSTRAINT events_pkey;
    ALTER TABLE events ADD PRIMARY KEY (position);
    CREATE INDEX events_by_namespace ON events (namespace, position);
    UPDATE store_schema SET version = 4;
  `);
}
