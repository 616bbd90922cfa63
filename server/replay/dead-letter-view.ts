/**
 * The dead letters as the view lists them: a page of the `$deadletter` stream, filtered by flow, node, error code and
 * time, each with the latest outcome recorded for it in `$redrive` (a re-drive records, it never changes a letter).
 * A page scans at most `maxScan` letters, so a filter that matches little answers quickly with a `next` to go on.
 */
import type { DeadLetter, DeadLetterPage, DeadLetterQuery, RecordedOutcome } from '../../shared/api/deadletters.js';
import type { StoredEvent } from '../../shared/event.js';
import { DEADLETTER_STREAM } from '../runtime/derive.js';
import { type EventStore, type ReadOptions, readPages } from '../store/index.js';
import { REDRIVE_STREAM } from './redrive-source.js';

const DEFAULT_LIMIT = 100;
const DEFAULT_MAX_SCAN = 10_000;

type LetterData = {
  error?: { code?: unknown; message?: unknown };
  node?: { id?: unknown; type?: unknown; name?: unknown };
  event?: { id?: unknown; type?: unknown; source?: unknown; time?: unknown };
};

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** What the view shows of a dead letter, given its latest recorded outcome. */
export function deadLetterOf(letter: StoredEvent, outcome: RecordedOutcome | null): DeadLetter {
  const data = (letter.data ?? {}) as LetterData;
  const event = data.event;
  const input =
    event && text(event.id) !== null
      ? { id: text(event.id)!, type: text(event.type) ?? '', source: text(event.source) ?? '', time: text(event.time) ?? '' }
      : null;
  return {
    id: letter.id,
    position: letter.position,
    time: letter.time,
    flowId: letter.flowId,
    nodeId: letter.nodeId,
    nodeType: text(data.node?.type),
    nodeName: text(data.node?.name),
    revision: letter.revision,
    error: { code: text(data.error?.code) ?? 'error', message: text(data.error?.message) ?? '' },
    input,
    outcome,
  };
}

/** A `$redrive` record as the outcome it states; null when it is not one. */
function outcomeOf(record: StoredEvent): (RecordedOutcome & { deadLetterId: string }) | null {
  const d = (record.data ?? {}) as Record<string, unknown>;
  const deadLetterId = text(d.deadLetterId);
  if (deadLetterId === null || (d.outcome !== 'redriven' && d.outcome !== 'failed') || typeof d.revision !== 'number') return null;
  const error = d.error as { code?: unknown; message?: unknown } | null;
  return {
    deadLetterId,
    outcome: d.outcome,
    revision: d.revision,
    replayId: text(d.replayId) ?? '',
    at: record.time,
    error: error ? { code: text(error.code) ?? 'error', message: text(error.message) ?? '' } : null,
    outputs: Array.isArray(d.outputs) ? d.outputs.filter((o): o is string => typeof o === 'string') : [],
  };
}

/** A page of dead letters and where the next one starts. */
export async function deadLetterPage(store: EventStore, query: DeadLetterQuery, maxScan = DEFAULT_MAX_SCAN): Promise<DeadLetterPage> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const options: ReadOptions = { stream: DEADLETTER_STREAM, after: query.after ?? 0 };
  if (query.flowId) options.flowId = query.flowId;
  if (query.from) options.from = query.from;
  if (query.to) options.to = query.to;
  const letters: StoredEvent[] = [];
  let scanned = 0;
  let next: number | null = null;
  scan: for await (const page of readPages(store, options)) {
    for (const letter of page) {
      scanned++;
      const code = text((letter.data as LetterData | null)?.error?.code);
      if ((!query.nodeId || letter.nodeId === query.nodeId) && (!query.code || code === query.code)) letters.push(letter);
      if (letters.length >= limit || scanned >= maxScan) {
        next = letter.position;
        break scan;
      }
    }
  }
  const outcomes = new Map<string, RecordedOutcome>();
  if (letters.length > 0) {
    const wanted = new Set(letters.map((l) => l.id));
    const recordOptions: ReadOptions = { stream: REDRIVE_STREAM, after: letters[0]!.position };
    if (query.flowId) recordOptions.flowId = query.flowId;
    // In position order: the last record of a letter is its latest outcome.
    for await (const page of readPages(store, recordOptions)) {
      for (const record of page) {
        const outcome = outcomeOf(record);
        if (!outcome || !wanted.has(outcome.deadLetterId)) continue;
        const { deadLetterId, ...rest } = outcome;
        outcomes.set(deadLetterId, rest);
      }
    }
  }
  return { deadLetters: letters.map((l) => deadLetterOf(l, outcomes.get(l.id) ?? null)), next };
}
