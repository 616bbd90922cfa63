/**
 * The Test panel's inputs as the user writes them — rows of hand-written CloudEvent JSON, event ids, or "the last N
 * of a source" — and the request inputs they make, or the problem of each row that cannot. Pure.
 */
import type { TestEvent, TestInput } from '../../shared/api/flow-tests.js';
import { TestEventSchema } from '../../shared/api/flow-tests.js';

export type InputRow =
  | { kind: 'json'; source: string; text: string }
  | { kind: 'ids'; source: string; text: string }
  | { kind: 'last'; source: string; count: number };

/** `source` '' leaves the choice to the server (the source the event belongs to, or the first taking its type). */
const withSource = (source: string) => (source === '' ? {} : { source });

/** The ids of a row of ids: separated by spaces, commas or new lines. */
export const idsOf = (text: string): string[] => text.split(/[\s,]+/).filter((id) => id !== '');

function eventsOf(text: string): TestEvent[] | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  const list = Array.isArray(value) ? value : [value];
  const events: TestEvent[] = [];
  for (const [i, item] of list.entries()) {
    const parsed = TestEventSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = [...(Array.isArray(value) ? [i] : []), ...issue.path].join('.');
      return `${where === '' ? 'the event' : where}: ${issue.message}`;
    }
    events.push(parsed.data);
  }
  return events;
}

/** The request's inputs, or each row's problem by its index. */
export function testInputsOf(rows: readonly InputRow[]): { inputs: TestInput[]; problems: Map<number, string> } {
  const inputs: TestInput[] = [];
  const problems = new Map<number, string>();
  rows.forEach((row, i) => {
    if (row.kind === 'last') {
      if (row.source === '') problems.set(i, 'choose the source whose events to take');
      else if (!Number.isInteger(row.count) || row.count < 1) problems.set(i, 'a count of at least 1');
      else inputs.push({ source: row.source, last: row.count });
    } else if (row.kind === 'ids') {
      const ids = idsOf(row.text);
      if (ids.length === 0) problems.set(i, 'enter at least one event id');
      for (const eventId of ids) inputs.push({ ...withSource(row.source), eventId });
    } else {
      const events = eventsOf(row.text);
      if (typeof events === 'string') problems.set(i, events);
      else for (const event of events) inputs.push({ ...withSource(row.source), event });
    }
  });
  return { inputs, problems };
}

export const EXAMPLE_EVENT = '{\n  "type": "reading.recorded",\n  "data": { "t": 9.5 }\n}';
