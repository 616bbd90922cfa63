/**
 * A view of the timeline as a link, and back: the execution shown (an imported execution's id; none: the live
 * events), the source filter, the axis, the brushed range, the selected event, the structured search and which of
 * its matches is current — and the comparison of two executions (`/timeline/compare`). `encode*` writes only what
 * differs from the default, in a fixed order, so one view has one address (the axis's default is causal order for an
 * imported execution, time for the live events); `decode*` reads any address a user may type or mangle: what it
 * cannot read is left at its default and named in `problems`, never thrown.
 *
 * Pure: no DOM, no I/O.
 */
import { MAX_QUERY_LENGTH } from '../../shared/analysis/query-syntax.js';

export interface TimelineView {
  event?: string;
  /** The source filter. */
  source?: string;
  /** The imported execution shown (its id); none: the live events. */
  execution?: string;
  axis?: 'time' | 'causal';
  /** A brushed range, in axis units (ms from the axis origin, or causal steps). */
  range?: [number, number];
  /** A structured search, and the 0-based index of its current match. */
  q?: string;
  match?: number;
}

export interface CompareView {
  /** The import whose executions are grouped (its id). */
  log?: string;
  /** The executions side by side (their ids). */
  a?: string;
  b?: string;
  /** How the executions of the log are grouped. */
  group?: 'processes' | 'distance';
  /** For `group=distance`: the largest distance within a group, from 0 to 1. */
  threshold?: number;
}

export interface Decoded<T> {
  view: T;
  problems: string[];
}

/** The longest value read for a name, an id or a source; longer ones are refused, not cut. */
const MAX_VALUE = 1024;

const text = (params: URLSearchParams, name: string, problems: string[], max = MAX_VALUE): string | undefined => {
  const value = params.get(name);
  if (value === null || value === '') return undefined;
  if (value.length > max) {
    problems.push(`${name}: longer than ${max} characters`);
    return undefined;
  }
  return value;
};

/** A finite number as a link writes it (no exponent, so `1e400` and `Infinity` are refused). */
const NUMBER = /^-?\d{1,16}(\.\d{1,9})?$/;

/** The axis a view opens on when its address names none. */
export const defaultAxisOf = (view: Pick<TimelineView, 'execution'>): 'time' | 'causal' => (view.execution ? 'causal' : 'time');

export function encodeTimelineView(view: TimelineView): string {
  const params = new URLSearchParams();
  if (view.source) params.set('source', view.source);
  if (view.execution) params.set('execution', view.execution);
  if (view.axis && view.axis !== defaultAxisOf(view)) params.set('axis', view.axis);
  if (view.range) params.set('range', `${view.range[0]}..${view.range[1]}`);
  if (view.event) params.set('event', view.event);
  if (view.q) params.set('q', view.q);
  if (view.q && view.match !== undefined && view.match > 0) params.set('match', String(view.match));
  return params.toString();
}

export function decodeTimelineView(search: string | URLSearchParams): Decoded<TimelineView> {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const problems: string[] = [];
  const view: TimelineView = {};
  const source = text(params, 'source', problems);
  if (source) view.source = source;
  const execution = text(params, 'execution', problems);
  if (execution) view.execution = execution;
  const axis = params.get('axis');
  if (axis === 'time' || axis === 'causal') view.axis = axis;
  else if (axis !== null) problems.push(`axis: expected time or causal, not ${JSON.stringify(axis.slice(0, 40))}`);
  const range = params.get('range');
  if (range !== null) {
    const [from, to, ...rest] = range.split('..');
    if (from !== undefined && to !== undefined && rest.length === 0 && NUMBER.test(from) && NUMBER.test(to)) {
      const [a, b] = [Number(from), Number(to)];
      view.range = a <= b ? [a, b] : [b, a];
    } else problems.push('range: expected <from>..<to>, two numbers');
  }
  const event = text(params, 'event', problems);
  if (event) view.event = event;
  const q = text(params, 'q', problems, MAX_QUERY_LENGTH);
  if (q) view.q = q;
  const match = params.get('match');
  if (match !== null) {
    if (/^\d{1,6}$/.test(match) && view.q) view.match = Number(match);
    else problems.push('match: expected the index of a match of the search q');
  }
  return { view, problems };
}

export function encodeCompareView(view: CompareView): string {
  const params = new URLSearchParams();
  if (view.log) params.set('log', view.log);
  if (view.a) params.set('a', view.a);
  if (view.b) params.set('b', view.b);
  if (view.group && view.group !== 'processes') params.set('group', view.group);
  if (view.group === 'distance' && view.threshold !== undefined) params.set('threshold', String(view.threshold));
  return params.toString();
}

export function decodeCompareView(search: string | URLSearchParams): Decoded<CompareView> {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const problems: string[] = [];
  const view: CompareView = {};
  for (const name of ['log', 'a', 'b'] as const) {
    const id = text(params, name, problems);
    if (id) view[name] = id;
  }
  const group = params.get('group');
  if (group === 'processes' || group === 'distance') view.group = group;
  else if (group !== null) problems.push('group: expected processes or distance');
  const threshold = params.get('threshold');
  if (threshold !== null) {
    const n = NUMBER.test(threshold) ? Number(threshold) : NaN;
    if (n >= 0 && n <= 1 && view.group === 'distance') view.threshold = n;
    else problems.push('threshold: expected a number from 0 to 1, with group=distance');
  }
  return { view, problems };
}
