'use strict';
/**
 * What the SQLite store's writing connection does, in CommonJS so that a worker thread loads it with no
 * TypeScript loader (see write-connection.ts). The SQL comes from the caller; each call is one transaction.
 */

/** Thrown inside an append transaction when an insert finds its id taken: the group is rolled back. */
class StoredIdFound extends Error {}

/**
 * The writes on `db`:
 * - `appendGroup(group)`: the rows of one group commit, written only if the store's head is still `group.head`
 *   (else 'stale': another connection appended meanwhile); 'stored-id' when an id was stored after all; else 'ok'.
 * - `run(statements)`: `[sql, params]` pairs in one transaction; the rows each changed.
 */
function openWrites(db, sql) {
  const head = db.prepare(sql.head).pluck();
  const insertEvent = db.prepare(sql.insertEvent);
  const insertClockEntry = db.prepare(sql.insertClockEntry);
  const countEvents = db.prepare(sql.countEvents);
  const countDensity = db.prepare(sql.countDensity);
  const renumber = db.prepare(sql.renumber);
  const prepared = new Map();
  const statement = (text) => {
    let s = prepared.get(text);
    if (!s) prepared.set(text, (s = db.prepare(text)));
    return s;
  };
  const appendGroup = db.transaction((group) => {
    if (head.get() !== group.head) return 'stale';
    // Parameters spread as arguments: better-sqlite3 binds those faster than an array's elements.
    for (const row of group.rows) if (insertEvent.run(...row).changes === 0) throw new StoredIdFound();
    for (const entry of group.clockEntries) insertClockEntry.run(...entry);
    for (const count of group.counts) countEvents.run(...count);
    for (const count of group.density) countDensity.run(...count);
    for (const r of group.renumber) renumber.run(r);
    return 'ok';
  });
  const run = db.transaction((statements) => statements.map(([text, params]) => statement(text).run(params).changes));
  return {
    appendGroup(group) {
      try {
        return appendGroup.immediate(group);
      } catch (error) {
        if (error instanceof StoredIdFound) return 'stored-id';
        throw error;
      }
    },
    run: (statements) => run.immediate(statements),
  };
}

module.exports = { openWrites };
