/**
 * An append held open on purpose, for tests of what readers see meanwhile: a transaction that reads (locking its
 * process and stream), takes its positions and writes its events with the group commit's own statements (writer.ts,
 * positions.ts), then waits to be committed or rolled back. Its events must be of a process and stream of their own,
 * with new ids.
 */
import type pg from 'pg';
import type { EventDraft } from '../../../../shared/event.js';
import { placeAfter, planGroup } from '../../plan.js';
import { checkDrafts } from '../../validate.js';
import { arrayLiteral } from '../array-literal.js';
import { keyOf } from '../in-flight.js';
import { channelOf } from '../index.js';
import { POSITION_SQL } from '../positions.js';
import { WRITE_SQL, writeValues } from '../writer.js';
import { clientIn } from './database.js';

export interface HeldAppend {
  /** The positions its events will have. */
  positions: number[];
  commit(): Promise<void>;
  rollBack(): Promise<void>;
}

export async function holdAppend(schema: string, drafts: EventDraft[], namespace = 'live'): Promise<HeldAppend> {
  const client = await clientIn(schema);
  const reserving = await clientIn(schema);
  try {
    const begun = (await client.query(WRITE_SQL.begin(1))) as unknown as pg.QueryResult<{ xid: string }>[];
    const xid = begun.at(-1)!.rows[0]!.xid;
    const { process, stream } = drafts[0]!;
    const read = await client.query<{ heads: { events: number }[]; stored: unknown[]; versions: [string, string, number][] }>(WRITE_SQL.read, [
      arrayLiteral(drafts.map(() => namespace)),
      arrayLiteral(drafts.map((d) => d.id)),
      arrayLiteral(drafts.map((d) => d.source)),
      arrayLiteral([namespace]),
      arrayLiteral([stream]),
      arrayLiteral([namespace]),
      arrayLiteral([process]),
      arrayLiteral([namespace]),
      arrayLiteral([stream]),
      ...['{}', '{}', '{}', '{}'], // no fences
    ]);
    const { heads, stored, versions } = read.rows[0]!;
    if (heads[0]!.events !== 0 || stored.length > 0 || versions[0]![2] !== 0) throw new Error('a held append needs a process, a stream and ids of its own');
    const plan = planGroup([{ namespace, events: checkDrafts(drafts) }], { head: 0, stored: () => undefined, version: () => 0, latestClock: () => null });
    const { rows } = await reserving.query<{ low: string }>(POSITION_SQL.reserve, [plan.writes.length, xid]);
    const low = Number(rows[0]!.low);
    placeAfter(plan, low - 1);
    const key = keyOf(namespace, process);
    const found = new Map([[key, { latest: null, exists: true, writer: null }]]);
    await client.query(WRITE_SQL.write, writeValues(plan, { found, locked: new Set([key]) }, [], channelOf(schema)));
    const end = async () => {
      await client.end();
      await reserving.end();
    };
    return {
      positions: plan.writes.map((w) => w.event.position),
      async commit() {
        await client.query('COMMIT');
        await end();
      },
      async rollBack() {
        await client.query('ROLLBACK');
        await reserving.query(POSITION_SQL.release, [xid, plan.writes.length, low]);
        await end();
      },
    };
  } catch (error) {
    await client.end();
    await reserving.end();
    throw error;
  }
}
