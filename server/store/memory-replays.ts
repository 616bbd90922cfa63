/** The replay repository of the memory store: records kept as copies, so callers cannot change what is stored. */
import { replayListLimit, type ReplayListOptions, type ReplayRecord, type ReplayRepository } from './replays.js';

export class MemoryReplayRepository implements ReplayRepository {
  private readonly records = new Map<string, { seq: number; record: ReplayRecord }>();
  private seq = 0;

  async save(record: ReplayRecord): Promise<void> {
    const seq = this.records.get(record.id)?.seq ?? ++this.seq;
    this.records.set(record.id, { seq, record: structuredClone(record) });
  }

  async get(id: string): Promise<ReplayRecord | null> {
    const found = this.records.get(id);
    return found ? structuredClone(found.record) : null;
  }

  async list(options: ReplayListOptions = {}): Promise<ReplayRecord[]> {
    return [...this.records.values()]
      .filter(({ record }) => (options.state === undefined || record.state === options.state) && (options.process === undefined || record.process === options.process))
      .sort((a, b) => (a.record.startedAt === b.record.startedAt ? b.seq - a.seq : a.record.startedAt < b.record.startedAt ? 1 : -1))
      .slice(0, replayListLimit(options.limit))
      .map(({ record }) => structuredClone(record));
  }
}
