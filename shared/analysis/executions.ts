/**
 * Executions as the analyses see them: the events of one source (an import, `shiviz://<name>`), split by the
 * execution label a multi-execution log gives each event (`data.execution`), each event's host being its process
 * without the `<label>/` prefix such a log's processes carry. A source without labels is one execution.
 *
 * This is the one place that knows how an import marks its executions: the comparison and the clustering take
 * `Execution`s and nothing else, so when executions get another home (their own source or namespace each), only
 * `executionsOf` changes.
 *
 * Pure: no I/O.
 */
import { counterOf } from '../clock.js';
import type { AnalysisEvent } from './graph.js';

/** Names an execution: its events' `source`, and its label within the log (null: the whole source). */
export interface ExecutionRef {
  source: string;
  execution: string | null;
}

export interface Execution {
  ref: ExecutionRef;
  /** The label shown: the execution's, or the source's when it has none. */
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

/** The executions among events (in the order they first appear), by source and execution label. */
export function executionsOf(events: readonly AnalysisEvent[]): Execution[] {
  const byKey = new Map<string, Execution>();
  for (const event of events) {
    const execution = labelOfData(event.data);
    const key = JSON.stringify([event.source, execution]);
    let found = byKey.get(key);
    if (!found) byKey.set(key, (found = { ref: { source: event.source, execution }, label: execution ?? event.source, events: [], hosts: [] }));
    found.events.push(event);
  }
  for (const execution of byKey.values()) {
    const hosts: string[] = [];
    const seen = new Set<string>();
    for (const e of execution.events) {
      const h = hostOf(e);
      if (!seen.has(h)) {
        seen.add(h);
        hosts.push(h);
      }
    }
    const rank = new Map(hosts.map((h, i) => [h, i]));
    execution.events.sort((a, b) => rank.get(hostOf(a))! - rank.get(hostOf(b))! || counterOf(a.vectorClock, a.process) - counterOf(b.vectorClock, b.process));
    execution.hosts = hosts;
  }
  return [...byKey.values()];
}

/** The execution a reference names, among events; null when none of them belongs to it. */
export function executionOf(events: readonly AnalysisEvent[], ref: ExecutionRef): Execution | null {
  return executionsOf(events).find((e) => e.ref.source === ref.source && e.ref.execution === ref.execution) ?? null;
}
