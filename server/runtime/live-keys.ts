/**
 * An actor node's keys and their states, held in memory up to a bound: before each batch, the least recently used
 * keys the batch does not need are passivated — each key's state written to a record of its own beside the node's
 * snapshot, then dropped from memory — until the batch's keys fit; a passivated key is read back from its record
 * when a message for it comes, and goes on from exactly the state it left with.
 *
 * Why before a batch, and never during one: the work loop of a node with state starts a batch only once the previous
 * batch's events are committed, so a state passivated then holds only inputs whose derived events are stored. A
 * restart that finds a key in no snapshot and in its record skips what the record already folded, as it does for the
 * node's snapshot. A batch that needs more keys than the bound holds them all until the next batch.
 *
 * The node's snapshot holds the keys in memory, and says whether any key was ever passivated: until one was, a key
 * not in memory is new and no record is read for it.
 */
import { createHash } from 'node:crypto';
import type { EventStore } from '../store/index.js';

export interface KeyState {
  state: unknown;
  /** Position of the last event folded into `state`. */
  position: number;
  stopped: boolean;
}

export interface ActorSnapshot {
  keys: Record<string, KeyState>;
  /** Some key of this node was passivated at some time: a key not in memory may have a record. */
  passivated?: boolean;
}

/** What a passivated key's record holds (its position is the record's). */
interface KeyRecord {
  key: string;
  state: unknown;
  stopped: boolean;
}

/** The record of one key of one actor node: hashed, since keys are user data of any length. */
export const keyRecordOf = (flowId: string, nodeId: string, key: string): string =>
  `actor-key:${createHash('sha256').update(JSON.stringify([flowId, nodeId, key])).digest('hex')}`;

export class LiveKeys {
  /** In order of use, least recent first (a Map keeps insertion order; a use moves the key to the end). */
  private keys = new Map<string, KeyState>();
  private passivated = false;
  /** Keys passivated so far by this run (a figure for tests and logs). */
  passivations = 0;

  constructor(
    private readonly store: Pick<EventStore, 'loadSnapshot' | 'saveSnapshot'> | undefined,
    private readonly flowId: string,
    private readonly nodeId: string,
    /** Keys held in memory at most between batches; undefined: no bound. */
    private readonly max: number | undefined,
  ) {}

  get size(): number {
    return this.keys.size;
  }

  /** The key's state, now its most recently used. */
  use(key: string): KeyState | undefined {
    const entry = this.keys.get(key);
    // Without a bound, the order of use is never read.
    if (entry && this.max !== undefined) {
      this.keys.delete(key);
      this.keys.set(key, entry);
    }
    return entry;
  }

  /** Held in memory now (without counting as a use). */
  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string, entry: KeyState): void {
    this.keys.set(key, entry);
  }

  snapshot(): ActorSnapshot {
    return { keys: Object.fromEntries(this.keys), ...(this.passivated ? { passivated: true } : {}) };
  }

  restore(snapshot: ActorSnapshot | null): void {
    this.keys = new Map(Object.entries(snapshot?.keys ?? {}));
    this.passivated = snapshot?.passivated === true;
  }

  /**
   * Makes room for a batch's keys (distinct, in the order the batch uses them) and reads back those passivated:
   * resolves once each of them is in memory, or known to be new.
   */
  async prepare(wanted: readonly string[]): Promise<void> {
    if (!this.store || (this.max === undefined && !this.passivated)) return;
    const missing = wanted.filter((k) => !this.keys.has(k));
    if (this.max !== undefined) await this.passivate(this.keys.size + missing.length - this.max, new Set(wanted));
    if (this.passivated && missing.length > 0) await this.load(missing);
  }

  /** Writes the records of the `count` least recently used keys the batch does not need, then drops them. */
  private async passivate(count: number, needed: ReadonlySet<string>): Promise<void> {
    const out: [string, KeyState][] = [];
    for (const entry of this.keys) {
      if (out.length >= count) break;
      if (!needed.has(entry[0])) out.push(entry);
    }
    if (out.length === 0) return;
    // Marked first: a snapshot taken while the records are written already says records may exist.
    this.passivated = true;
    await Promise.all(
      out.map(([key, { state, position, stopped }]) =>
        this.store!.saveSnapshot({ key: keyRecordOf(this.flowId, this.nodeId, key), state: { key, state, stopped } satisfies KeyRecord, position }),
      ),
    );
    for (const [key, entry] of out) {
      // Still the state written: nothing folds into a key while its batch waits here.
      if (this.keys.get(key) === entry) this.keys.delete(key);
    }
    this.passivations += out.length;
  }

  private async load(keys: readonly string[]): Promise<void> {
    const records = await Promise.all(keys.map((key) => this.store!.loadSnapshot(keyRecordOf(this.flowId, this.nodeId, key))));
    records.forEach((record, i) => {
      const key = keys[i]!;
      const held = record?.state as KeyRecord | undefined;
      if (!record || held?.key !== key || this.keys.has(key)) return;
      this.keys.set(key, { state: held.state, position: record.position, stopped: held.stopped });
    });
  }
}
