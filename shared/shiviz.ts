/**
 * ShiViz / GoVector logs: parsing them into events with vector clocks, and writing events back as a log.
 *
 * A log is text that a regular expression with named groups splits into events: `host` (the process),
 * `clock` (a JSON object of host → counter) and `event` (the text); any other named group is kept as a field.
 * An optional execution delimiter (a regular expression, e.g. `^=== (?<trace>.*) ===$`) splits one file into
 * several executions, labelled by its `trace` group. Text the regular expression does not match is no event: its lines
 * are listed with the log (`unmatched`, shiviz-unmatched.ts), so an import can say what it left out.
 * GoVector's and ShiViz's own layouts are read in linear time (`shiviz-scan.ts`); any other regex is the caller's,
 * and may backtrack for as long as it likes: the server runs this parser off its event loop with a time limit.
 *
 * A log is refused, with the 1-based line number, when a clock is not a JSON object of non-negative integers,
 * when it lacks its own host's entry, or when it goes backwards on its own host (the host's own counter must
 * grow from one event to the next, and no other entry may shrink).
 *
 * A host missing from a clock counts as 0 — the textbook definition of vector clocks, as everywhere in Causeway.
 * ShiViz itself treats a missing host as "not comparable"; the two agree on every clock that names all hosts.
 *
 * Pure: no I/O.
 */
import type { VectorClock } from './clock.js';
import type { EventDraft } from './event.js';
import { scanGoVector, scanShiViz, type LayoutMatch } from './shiviz-scan.js';
import { UnmatchedLines, type UnmatchedLine } from './shiviz-unmatched.js';

export type { UnmatchedLine } from './shiviz-unmatched.js';

/** GoVector's layout (the API's default): a `host {clock}` line, then the event's line. */
export const GOVECTOR_REGEX = '(?<host>\\S*) (?<clock>{.*})\\n(?<event>.*)';
/** ShiViz's own default layout: the event's line, then a `host {clock}` line. */
export const SHIVIZ_REGEX = '(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})';
export const DEFAULT_REGEX = GOVECTOR_REGEX;

export interface ShiVizOptions {
  /** The parser regular expression with named groups `host` and `clock` (and usually `event`). */
  regex?: string;
  /** Splits the log into executions; its `trace` group names each one. Null or empty: one execution. */
  delimiter?: string | null;
  /** Added to every line number (the upload form's regex and delimiter lines come first). */
  lineOffset?: number;
}

export interface ShiVizEvent {
  host: string;
  clock: VectorClock;
  /** The event's text (the `event` group; empty when the regex has none). */
  text: string;
  /** 1-based line where the match starts. */
  line: number;
  /** The execution's label ('' when the log is not split). */
  execution: string;
  /** The other named groups. */
  fields: Record<string, string>;
}

export interface ShiVizExecution {
  label: string;
  /** In log order. */
  events: ShiVizEvent[];
  /** In order of first appearance. */
  hosts: string[];
}

export interface ShiVizLog {
  executions: ShiVizExecution[];
  /** The first lines (up to `UNMATCHED_LIST`) that the regex does not cover, blank lines aside. */
  unmatched: UnmatchedLine[];
  /** How many lines the regex does not cover in all. */
  unmatchedCount: number;
}

export type ShiVizErrorCode =
  | 'invalid_regex'
  /** The regex or delimiter gave up on the log (JavaScript's regex engine ran out of backtracking stack). */
  | 'regex_failed'
  | 'missing_group'
  | 'invalid_delimiter'
  | 'duplicate_execution'
  | 'no_match'
  | 'empty_host'
  | 'clock_not_json'
  | 'clock_not_object'
  | 'clock_bad_counter'
  | 'clock_missing_host'
  | 'clock_went_backwards';

export interface ShiVizError {
  code: ShiVizErrorCode;
  message: string;
  /** 1-based line in the text given, or null when the problem is not on a line (the regex). */
  line: number | null;
  /** What the problem is in: the `regex` or `delimiter` option, or the log `body`. */
  field: 'regex' | 'delimiter' | 'body';
}

export type ShiVizResult = { ok: true; log: ShiVizLog } | { ok: false; error: ShiVizError };

const fail = (code: ShiVizErrorCode, message: string, line: number | null, field: ShiVizError['field'] = 'body'): ShiVizResult => ({
  ok: false,
  error: { code, message, line, field },
});

/** Line starts of a text, for turning offsets into 1-based line numbers. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function compile(source: string, field: 'regex' | 'delimiter'): RegExp | ShiVizError {
  try {
    return new RegExp(source, 'gmd');
  } catch (error) {
    return { code: field === 'regex' ? 'invalid_regex' : 'invalid_delimiter', message: `the ${field} is not a valid regular expression: ${(error as Error).message}`, line: null, field };
  }
}

interface Segment {
  label: string;
  text: string;
  /** Offset of the segment in the whole text. */
  offset: number;
  /** Offset of the delimiter that named it (0 for the text before the first delimiter). */
  labelOffset: number;
}

/** The executions of a log: split at each delimiter match, labelled by its `trace` group. */
function splitExecutions(text: string, delimiter: RegExp | null): Segment[] | ShiVizError {
  if (!delimiter) return [{ label: '', text, offset: 0, labelOffset: 0 }];
  const segments: Segment[] = [];
  let label = '';
  let start = 0;
  let labelOffset = 0;
  for (const match of matchesGivingUp(delimiter, text, 'delimiter')) {
    if (match[0] === '') return { code: 'invalid_delimiter', message: 'the delimiter matches empty text', line: null, field: 'delimiter' };
    segments.push({ label, text: text.slice(start, match.index), offset: start, labelOffset });
    label = match.groups?.trace ?? String(segments.length);
    start = match.index + match[0].length;
    labelOffset = match.index;
  }
  segments.push({ label, text: text.slice(start), offset: start, labelOffset });
  return segments.filter((s) => s.text.trim() !== '');
}

function parseClock(raw: string, host: string, line: number): VectorClock | ShiVizError {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { code: 'clock_not_json', message: `line ${line}: the clock ${abbreviate(raw)} is not valid JSON`, line, field: 'body' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { code: 'clock_not_object', message: `line ${line}: the clock must be a JSON object of host → counter`, line, field: 'body' };
  }
  const clock: Record<string, number> = {};
  for (const [h, n] of Object.entries(value)) {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      return { code: 'clock_bad_counter', message: `line ${line}: the counter of "${h}" must be a non-negative integer, not ${JSON.stringify(n)}`, line, field: 'body' };
    }
    clock[h] = n;
  }
  if ((clock[host] ?? 0) < 1) {
    return { code: 'clock_missing_host', message: `line ${line}: the clock has no entry of at least 1 for its own host "${host}"`, line, field: 'body' };
  }
  return clock;
}

const abbreviate = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);

/**
 * Checks that each host's clocks only move forward. A host's events are taken in the order of its own counter
 * (concurrent writers may log them slightly out of order, as ShiViz allows): no two may share a counter, and
 * no other entry may shrink from one to the next.
 */
function checkMonotonic(events: ShiVizEvent[]): ShiVizError | null {
  const byHost = new Map<string, ShiVizEvent[]>();
  for (const event of events) {
    const list = byHost.get(event.host);
    if (list) list.push(event);
    else byHost.set(event.host, [event]);
  }
  let first: ShiVizError | null = null;
  const report = (error: ShiVizError) => {
    if (!first || (error.line ?? 0) < (first.line ?? 0)) first = error;
  };
  for (const [host, list] of byHost) {
    const ordered = [...list].sort((a, b) => (a.clock[host] ?? 0) - (b.clock[host] ?? 0) || a.line - b.line);
    for (let i = 1; i < ordered.length; i++) {
      const previous = ordered[i - 1]!;
      const event = ordered[i]!;
      const [early, late] = previous.line < event.line ? [previous, event] : [event, previous];
      const own = event.clock[host] ?? 0;
      if (own === (previous.clock[host] ?? 0)) {
        report({ code: 'clock_went_backwards', message: `line ${late.line}: "${host}" counts ${own} again (first on line ${early.line}); its own counter must grow`, line: late.line, field: 'body' });
        break;
      }
      const shrunk = Object.entries(previous.clock).find(([h, n]) => (event.clock[h] ?? 0) < n);
      if (shrunk) {
        const [h, n] = shrunk;
        report({
          code: 'clock_went_backwards',
          message: `line ${late.line}: on "${host}" the entry "${h}" goes back from ${n} (line ${previous.line}) to ${event.clock[h] ?? 0} (line ${event.line})`,
          line: late.line,
          field: 'body',
        });
        break;
      }
    }
  }
  return first;
}

/** One match of the parser: where it starts and ends, where its clock starts, and its named groups. */
interface Match {
  index: number;
  /** Exclusive. */
  end: number;
  clockIndex: number;
  groups: Record<string, string | undefined>;
}

/** A built-in layout's match; GoVector's ends with the event's line after the clock, ShiViz's with the clock. */
const layoutGroups = (m: LayoutMatch, eventLast: boolean): Match => ({
  index: m.index,
  end: m.clockIndex + m.clock.length + (eventLast ? 1 + m.event.length : 0),
  clockIndex: m.clockIndex,
  groups: { host: m.host, clock: m.clock, event: m.event },
});

/** A regex that threw while matching (a RangeError when its backtracking outgrows the engine's stack). */
class RegexGaveUp extends Error {
  constructor(
    readonly field: 'regex' | 'delimiter',
    readonly reason: unknown,
  ) {
    super(`the ${field} gave up on this log`);
  }
}

/** `text.matchAll(regex)`, a throw while matching turned into RegexGaveUp. */
function* matchesGivingUp(regex: RegExp, text: string, field: 'regex' | 'delimiter'): Generator<RegExpExecArray> {
  regex.lastIndex = 0;
  for (;;) {
    let match: RegExpExecArray | null;
    try {
      match = regex.exec(text);
    } catch (error) {
      throw new RegexGaveUp(field, error);
    }
    if (!match) return;
    if (match[0] === '') regex.lastIndex++;
    yield match;
  }
}

function* regexMatches(regex: RegExp, text: string): Generator<Match> {
  for (const match of matchesGivingUp(regex, text, 'regex')) {
    if (match[0] !== '') yield { index: match.index, end: match.index + match[0].length, clockIndex: match.indices?.groups?.clock?.[0] ?? match.index, groups: match.groups ?? {} };
  }
}

/**
 * How a segment is split into matches. The two built-in layouts are read by linear scanners that give the same
 * matches as their regular expressions (which backtrack quadratically on long lines); any other regex runs as given.
 */
function matcherOf(source: string, regex: RegExp): (text: string) => Iterable<Match> {
  if (source === GOVECTOR_REGEX) return (text) => scanGoVector(text).map((m) => layoutGroups(m, true));
  if (source === SHIVIZ_REGEX) return (text) => scanShiViz(text).map((m) => layoutGroups(m, false));
  return (text) => regexMatches(regex, text);
}

/** Parses a ShiViz/GoVector log; every problem is a typed error with its line. */
export function parseShiViz(input: string, options: ShiVizOptions = {}): ShiVizResult {
  try {
    return parseLog(input, options);
  } catch (error) {
    if (!(error instanceof RegexGaveUp)) throw error;
    const reason = error.reason instanceof Error ? error.reason.message : String(error.reason);
    return fail('regex_failed', `the ${error.field} gave up on this log (${reason}); try a simpler one`, null, error.field);
  }
}

function parseLog(input: string, options: ShiVizOptions): ShiVizResult {
  const text = input.replace(/\r\n?/g, '\n');
  const source = options.regex ?? DEFAULT_REGEX;
  const regex = compile(source, 'regex');
  if (!(regex instanceof RegExp)) return { ok: false, error: regex };
  const matchesOf = matcherOf(source, regex);
  const names = new Set(Object.keys(new RegExp(`${regex.source}|`).exec('')?.groups ?? {}));
  for (const group of ['host', 'clock'] as const) {
    if (!names.has(group)) return fail('missing_group', `the regex needs a named group (?<${group}>…)`, null, 'regex');
  }
  const delimiterSource = options.delimiter?.trim() ? options.delimiter : null;
  const delimiter = delimiterSource ? compile(delimiterSource, 'delimiter') : null;
  if (delimiter && !(delimiter instanceof RegExp)) return { ok: false, error: delimiter };
  const segments = splitExecutions(text, delimiter);
  if (!Array.isArray(segments)) return { ok: false, error: segments };

  const lineOf = lineIndex(text);
  const offset = options.lineOffset ?? 0;
  const executions: ShiVizExecution[] = [];
  const labels = new Set<string>();
  const unmatched = new UnmatchedLines();
  for (const segment of segments) {
    if (labels.has(segment.label)) {
      const line = lineOf(segment.labelOffset) + offset;
      return fail('duplicate_execution', `line ${line}: a second execution is named "${segment.label}"`, line, 'body');
    }
    labels.add(segment.label);
    const events: ShiVizEvent[] = [];
    const hosts: string[] = [];
    const seen = new Set<string>();
    const spans: [number, number][] = [];
    for (const match of matchesOf(segment.text)) {
      const { groups } = match;
      spans.push([match.index, match.end]);
      const line = lineOf(segment.offset + match.index) + offset;
      const host = groups.host ?? '';
      if (host === '') return fail('empty_host', `line ${line}: the host is empty`, line);
      const clockLine = lineOf(segment.offset + match.clockIndex) + offset;
      const clock = parseClock(groups.clock ?? '', host, clockLine);
      if ('code' in clock && typeof clock.code === 'string') return { ok: false, error: clock as ShiVizError };
      const fields: Record<string, string> = {};
      for (const [name, value] of Object.entries(groups)) {
        if (name !== 'host' && name !== 'clock' && name !== 'event' && value !== undefined) fields[name] = value;
      }
      events.push({ host, clock: clock as VectorClock, text: groups.event ?? '', line, execution: segment.label, fields });
      if (!seen.has(host)) {
        seen.add(host);
        hosts.push(host);
      }
    }
    unmatched.add(segment.text, segment.offset, spans, lineOf, offset);
    const backwards = checkMonotonic(events);
    if (backwards) return { ok: false, error: backwards };
    if (events.length > 0) executions.push({ label: segment.label, events, hosts });
  }
  if (executions.length === 0) return fail('no_match', 'the regex matched no event in the log', null, 'regex');
  return { ok: true, log: { executions, unmatched: unmatched.lines, unmatchedCount: unmatched.count } };
}

/**
 * ShiViz's upload form as one text: line 1 the regex, line 2 the delimiter (may be empty), then the log.
 * Line numbers in errors count from the top of the whole text.
 */
export function parseShiVizForm(input: string): ShiVizResult {
  const text = input.replace(/\r\n?/g, '\n');
  const first = text.indexOf('\n');
  const second = first < 0 ? -1 : text.indexOf('\n', first + 1);
  if (first < 0 || second < 0) return fail('no_match', 'the form needs the regex on line 1, the delimiter on line 2, then the log', null, 'body');
  return parseShiViz(text.slice(second + 1), { regex: text.slice(0, first), delimiter: text.slice(first + 1, second), lineOffset: 2 });
}

/** All events of a log, execution after execution. */
export const eventsOf = (log: ShiVizLog): ShiVizEvent[] => log.executions.flatMap((e) => e.events);

/**
 * The process an imported host becomes: the host itself, or `<execution>/<host>` when the log holds several
 * executions (so each execution keeps its own lanes and clocks).
 */
export function processOf(log: ShiVizLog, execution: string, host: string): string {
  return log.executions.length > 1 ? `${execution}/${host}` : host;
}

function renameClock(clock: VectorClock, rename: (host: string) => string): VectorClock {
  const out: Record<string, number> = {};
  for (const [h, n] of Object.entries(clock)) out[rename(h)] = n;
  return out;
}

const clockSum = (clock: VectorClock) => Object.values(clock).reduce((s, n) => s + n, 0);

/**
 * For a receipt, the event it received from: the other host whose entry grew the most since the previous event
 * on the same host, at the counter the clock now holds for it. Null for a local event.
 */
function senderOf(event: ShiVizEvent, previous: VectorClock | undefined): { host: string; counter: number } | null {
  let best: { host: string; counter: number; grew: number } | null = null;
  for (const [h, n] of Object.entries(event.clock)) {
    if (h === event.host) continue;
    const grew = n - (previous?.[h] ?? 0);
    if (grew > 0 && (!best || grew > best.grew)) best = { host: h, counter: n, grew };
  }
  return best ? { host: best.host, counter: best.counter } : null;
}

/** For each event, the clock of the event before it on its host (by the host's own counter). */
function previousClocks(events: readonly ShiVizEvent[]): Map<ShiVizEvent, VectorClock> {
  const out = new Map<ShiVizEvent, VectorClock>();
  const byHost = new Map<string, ShiVizEvent[]>();
  for (const e of events) {
    const list = byHost.get(e.host);
    if (list) list.push(e);
    else byHost.set(e.host, [e]);
  }
  for (const [host, list] of byHost) {
    list.sort((a, b) => (a.clock[host] ?? 0) - (b.clock[host] ?? 0));
    list.forEach((e, i) => {
      const before = list[i - 1];
      if (before) out.set(e, before.clock);
    });
  }
  return out;
}

export interface ImportOptions {
  /** The events' `source`, e.g. `shiviz://chord.log`. */
  source: string;
  /** The time of the first event; the others follow 1 ms apart in causal order. */
  start: Date;
}

/**
 * The log as event drafts for the store, in an order where every event comes after the events that happened
 * before it (by clock). Ids are stable (`<source>#<process>:<counter>`) so importing the same log twice stores
 * it once. A receipt's `causationId` is the event it received from; its `correlationId` that event's chain.
 */
export function shiVizDrafts(log: ShiVizLog, options: ImportOptions): EventDraft[] {
  const items = log.executions.flatMap((execution) => {
    const rename = (h: string) => processOf(log, execution.label, h);
    const previous = previousClocks(execution.events);
    return execution.events.map((event) => {
      const sender = senderOf(event, previous.get(event));
      const process = rename(event.host);
      return {
        event,
        process,
        clock: renameClock(event.clock, rename),
        // Summed once here, not in the comparator: the sort would sum each clock O(log n) times.
        sum: clockSum(event.clock),
        sender: sender ? `${rename(sender.host)}:${sender.counter}` : null,
      };
    });
  });
  items.sort((a, b) => a.sum - b.sum || a.event.line - b.event.line);
  const idOf = (key: string) => `${options.source}#${key}`;
  const correlation = new Map<string, string>();
  const start = options.start.getTime();
  return items.map((item, index) => {
    const key = `${item.process}:${item.clock[item.process] ?? 0}`;
    const id = idOf(key);
    const causationId = item.sender && correlation.has(item.sender) ? idOf(item.sender) : null;
    const correlationId = (item.sender && correlation.get(item.sender)) || id;
    correlation.set(key, correlationId);
    return {
      id,
      type: 'shiviz.event',
      source: options.source,
      time: new Date(start + index).toISOString(),
      subject: null,
      datacontenttype: 'application/json',
      data: { text: item.event.text, line: item.event.line, ...(item.event.execution ? { execution: item.event.execution } : {}), ...(Object.keys(item.event.fields).length > 0 ? { fields: item.event.fields } : {}) },
      stream: `import/${item.process}`,
      process: item.process,
      vectorClock: item.clock,
      correlationId,
      causationId,
      flowId: null,
      nodeId: null,
      revision: null,
      metadata: { import: 'shiviz' },
    };
  });
}

/** What an exported event needs: its process, clock and a one-line text. */
export interface ExportableEvent {
  process: string;
  vectorClock: VectorClock;
  text: string;
}

/**
 * Events as a GoVector log (`host {clock}` then the text, one pair per event), which `parseShiViz` with the
 * default regex reads back to the same hosts, clocks and texts. Line breaks in a text become spaces, white space in a process name `_`.
 */
export function toShiVizLog(events: readonly ExportableEvent[]): string {
  const host = (p: string) => p.replace(/\s+/g, '_');
  return events.map((e) => `${host(e.process)} ${JSON.stringify(renameClock(e.vectorClock, host))}\n${e.text.replace(/[\r\n]+/g, ' ')}\n`).join('');
}
