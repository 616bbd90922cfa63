/** Event and flow drafts for the store's tests and its conformance suite: every call gives a new id, a later time and a higher counter. */
import { expect } from 'vitest';
import type { EventDraft, StoredEvent } from '../../../shared/event.js';
import type { FlowDraft } from '../../../shared/flow.js';
import { isStoreError, type EventStore, type StoreErrorCode } from '../types.js';

let sequence = 0;
const EPOCH = Date.UTC(2026, 0, 1);

export function draft(overrides: Partial<EventDraft> = {}): EventDraft {
  sequence += 1;
  const id = overrides.id ?? `evt-${sequence}`;
  const process = overrides.process ?? 'main';
  return {
    id,
    type: 'reading.recorded',
    source: 'test://conformance',
    time: new Date(EPOCH + sequence * 1000).toISOString(),
    subject: null,
    datacontenttype: 'application/json',
    data: { n: sequence },
    stream: 'stream-a',
    process,
    vectorClock: { [process]: sequence },
    correlationId: id,
    causationId: null,
    flowId: null,
    nodeId: null,
    revision: null,
    metadata: {},
    ...overrides,
  };
}

/** `count` drafts, each built by `make(i)` on top of the defaults. */
export const drafts = (count: number, make: (i: number) => Partial<EventDraft> = () => ({})): EventDraft[] =>
  Array.from({ length: count }, (_, i) => draft(make(i)));

/** What the store should hand back for a draft it stored at `position` as `version`. */
export function storedFrom(d: EventDraft, position: number, version: number): StoredEvent {
  const { expectedVersion: _expected, ...rest } = d;
  return { ...rest, position, version };
}

/** Appends and returns the stored events (duplicates included). */
export async function appendAll(store: EventStore, events: EventDraft[], namespace?: string): Promise<StoredEvent[]> {
  const results = await store.append(events, namespace === undefined ? undefined : { namespace });
  return results.map((r) => r.event);
}

export async function expectStoreError(promise: Promise<unknown>, code: StoreErrorCode): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected a StoreError ${code}`).not.toBeNull();
  expect(isStoreError(error, code), `expected StoreError ${code}, got ${String(error)}`).toBe(true);
}

export const ids = (events: { id: string }[]) => events.map((e) => e.id);
export const positions = (events: { position: number }[]) => events.map((e) => e.position);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function flowDraft(name = 'Cold-chain alerts'): FlowDraft {
  return {
    name,
    description: 'alerts when a reading is too warm',
    nodes: [
      { id: 'n1', type: 'http', name: 'readings', process: 'main', position: { x: 0, y: 0 }, config: { types: ['reading.*'] } },
      { id: 'n2', type: 'debug', name: 'debug', process: 'main', position: { x: 200, y: 0 }, config: {} },
    ],
    edges: [{ id: 'e1', source: 'n1', sourcePort: 'out', target: 'n2', targetPort: 'in' }],
  };
}
