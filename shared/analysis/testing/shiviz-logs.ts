/**
 * The real ShiViz logs the analyses are tested on, read as the import stores them (shared/shiviz.ts): each event
 * with its process, clock, causation and payload.
 */
import { readFileSync } from 'node:fs';
import { parseShiViz, shiVizDrafts, SHIVIZ_REGEX } from '../../shiviz.js';
import { executionOf, type Execution } from '../executions.js';
import type { AnalysisEvent } from '../graph.js';

const DATA = '/work/shared/data/shiviz/';

export const LOGS = {
  'reliable-broadcast.log': {
    regex: '\\[(?<priority>\\w+)\\] \\[(?<date>[^\\]]+)\\] \\[[^\\]]+\\] \\[akka://Broadcast/user/(?<host>\\w+)\\] (?<clock>{.*?}) (?<event>.*)',
    delimiter: null,
  },
  'multiple-comparison.log': { regex: SHIVIZ_REGEX, delimiter: '^=== (?<trace>.*) ===$' },
} as const;

/** A log's events as stored by an import named after the file, in store order. */
export function logEvents(name: keyof typeof LOGS): AnalysisEvent[] {
  const parsed = parseShiViz(readFileSync(DATA + name, 'utf8'), LOGS[name]);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return shiVizDrafts(parsed.log, { source: `shiviz://${name}`, start: new Date(0) }).map((d) => ({
    id: d.id!,
    type: d.type,
    source: d.source,
    process: d.process!,
    vectorClock: d.vectorClock!,
    causationId: d.causationId ?? null,
    data: d.data,
  }));
}

/**
 * A log's executions as an import stores them, each apart (its events those of one `data.execution` label), with
 * ids `<name>.<n>` in log order and the label as their label.
 */
export function logExecutions(name: keyof typeof LOGS): Execution[] {
  const byLabel = new Map<string, AnalysisEvent[]>();
  for (const e of logEvents(name)) {
    const label = (e.data as { execution?: string }).execution ?? '';
    byLabel.set(label, [...(byLabel.get(label) ?? []), e]);
  }
  return [...byLabel].map(([label, events], i) => executionOf(`${name}.${i + 1}`, label || name, events));
}
