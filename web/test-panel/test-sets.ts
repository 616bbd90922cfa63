/**
 * Saved test sets and events picked on the timeline, kept in the browser's IndexedDB (Dexie), in a database of their
 * own beside the drafts.
 *
 * Why the browser and not the server: a test set is a list of inputs an engineer keeps while working on a flow, like
 * a draft. Keeping it on the server means a new table in both store adapters (SQLite and PostgreSQL) with its
 * conformance tests and migrations; keeping it in the flow document would make each saved set a revision of the
 * flow, mixed into its history and diff. The cost of the browser: sets are not shared by a team — one is passed on
 * by its inputs (events by id or JSON), which read the same anywhere.
 */
import Dexie, { type EntityTable, type Table } from 'dexie';
import type { InputRow } from './inputs.js';

export interface TestSet {
  flowId: string;
  name: string;
  rows: InputRow[];
  savedAt: string;
}

/** An event picked on the timeline ("Use in test"), waiting to be added to a test. */
export interface PickedEvent {
  id: string;
  type: string;
  pickedAt: string;
}

class TestDatabase extends Dexie {
  sets!: Table<TestSet, [string, string]>;
  picks!: EntityTable<PickedEvent, 'id'>;

  constructor() {
    super('causeway-tests');
    this.version(1).stores({ sets: '[flowId+name], flowId', picks: 'id, pickedAt' });
  }
}

let db: TestDatabase | null = null;
const database = () => (db ??= new TestDatabase());

export const saveTestSet = async (flowId: string, name: string, rows: InputRow[]): Promise<void> => {
  await database().sets.put({ flowId, name, rows, savedAt: new Date().toISOString() });
};

export const listTestSets = async (flowId: string): Promise<TestSet[]> => (await database().sets.where('flowId').equals(flowId).toArray()).sort((a, b) => a.name.localeCompare(b.name));

export const deleteTestSet = async (flowId: string, name: string): Promise<void> => {
  await database().sets.delete([flowId, name]);
};

export const pickEvent = async (event: { id: string; type: string }): Promise<void> => {
  await database().picks.put({ id: event.id, type: event.type, pickedAt: new Date().toISOString() });
};

export const listPicks = async (): Promise<PickedEvent[]> => database().picks.orderBy('pickedAt').toArray();

export const clearPicks = async (): Promise<void> => {
  await database().picks.clear();
};
