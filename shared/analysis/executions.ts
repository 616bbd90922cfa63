/**
 * Executions as the analyses see them: the events of one imported execution (stored in a namespace of its own, read
 * with `execution=<id>`), each event's host being its process without the `<label>/` prefix the processes of a log
 * split into several executions carry (the label is the event's `data.execution`).
 *
 * The comparison and the clustering take `Execution`s and nothing else: how they are read is the caller's business.
 *
 * Pure: no I/O.
 */
import { counterOf } from '../clock.js';
import type { AnalysisEvent } from './graph.js';

export interface Execution {
  /** The imported execution's id (`GET /api/imports`). */
  id: string;
  /** The label shown. */
  label: string;
  /** Each host's events in the order of its own counter, hosts in order of first appearance. */
  events: AnalysisEvent[];
  hosts: string[];
}

const labelOfData = (data: unknown): string | null => {
  const label = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).execution : undefined;
  return typeof label === 'string' ? label : null;
};

/** The host of an event: its process, without the `<execution>/` prefix of a multi-execution import. */
export function hostOf(event: AnalysisEvent): string {
  const label = labelOfData(event.data);
  return label !== null && event.process.startsWith(`${label}/`) ? event.process.slice(label.length + 1) : event.process;
}

/** What an event says, for matching it with an event of another execution: its text, else its type. */
export function textOf(event: AnalysisEvent): string {
  const text = typeof event.data === 'object' && event.data !== null ? (event.data as Record<string, unknown>).text : undefined;
  return typeof text === 'string' ? text : event.type;
}

/** An execution of the events stored for it (its namespace's), each host's events in the order of its counter. */
export function executionOf(id: string, label: string, stored: readonly AnalysisEvent[]): Execution {
  const hosts: string[] = [];
  const seen = new Set<string>();
  for (const e of stored) {
    const h = hostOf(e);
    if (!seen.has(h)) {
      seen.add(h);
      hosts.push(h);
    }
  }
  const rank = new Map(hosts.map((h, i) => [h, i]));
  const events = [...stored].sort((a, b) => rank.get(hostOf(a))! - rank.get(hostOf(b))! || counterOf(a.vectorClock, a.process) - counterOf(b.vectorClock, b.process));
  return { id, label, events, hosts };
}
