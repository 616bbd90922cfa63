import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compare } from './clock.js';
import { eventsOf, GOVECTOR_REGEX, parseShiViz, parseShiVizForm, shiVizDrafts, SHIVIZ_REGEX, toShiVizLog, type ShiVizResult } from './shiviz.js';

const DATA = '/work/shared/data/shiviz/';
const read = (file: string) => readFileSync(DATA + file, 'utf8');

/** The regex and delimiter each real log needs (as one would type them into ShiViz's upload form). */
const REAL_LOGS = {
  'chord.log': { regex: '(?<host>\\S*) (?<clock>{.*})\\n(?<event>.*)', delimiter: null },
  'multiple-comparison.log': { regex: SHIVIZ_REGEX, delimiter: '^=== (?<trace>.*) ===$' },
  'reliable-broadcast.log': {
    regex: '\\[(?<priority>\\w+)\\] \\[(?<date>[^\\]]+)\\] \\[[^\\]]+\\] \\[akka://Broadcast/user/(?<host>\\w+)\\] (?<clock>{.*?}) (?<event>.*)',
    delimiter: null,
  },
  'voldemort.log': { regex: '\\[(?<date>[^,]+,\\d+) (?<class>\\S+)\\] (?<priority>\\w+) (?<event>.*)\\n(?<host>\\S+) (?<clock>{.*})', delimiter: null },
} as const;

function ok(result: ShiVizResult) {
  if (!result.ok) throw new Error(`expected a parsed log, got ${result.error.code}: ${result.error.message}`);
  return result.log;
}

function error(result: ShiVizResult) {
  if (result.ok) throw new Error('expected the log to be refused');
  return result.error;
}

describe('parsing the real ShiViz logs', () => {
  it('reads chord.log: 1,235 events of 8 hosts, every line pair one event', () => {
    const log = ok(parseShiViz(read('chord.log'), REAL_LOGS['chord.log']));
    const events = eventsOf(log);
    expect(events).toHaveLength(read('chord.log').trim().split('\n').length / 2);
    expect(log.executions[0]?.hosts).toHaveLength(8);
    expect(events[0]).toMatchObject({ host: 'client-testGetEveryNSeconds', clock: { 'client-testGetEveryNSeconds': 1 }, text: 'Initialization Complete', line: 1 });
  });

  it('splits multiple-comparison.log into its five named executions', () => {
    const log = ok(parseShiViz(read('multiple-comparison.log'), REAL_LOGS['multiple-comparison.log']));
    expect(log.executions.map((e) => e.label)).toEqual([
      'Base execution',
      'Same as base',
      'Different host from base',
      'All events are different from base',
      'Some events are different from base',
    ]);
    for (const execution of log.executions) expect(execution.events).toHaveLength(8);
    const first = log.executions[0]?.events[0];
    expect(first).toMatchObject({ host: 'mountainView', line: 2, execution: 'Base execution', text: '72.14.255.255 4/24/2015 12:03:50 PM INFO Initiating sync dest=204.15.23.252' });
  });

  it('reads reliable-broadcast.log with the clock inside the line and skips the lines without one', () => {
    const text = read('reliable-broadcast.log');
    const log = ok(parseShiViz(text, REAL_LOGS['reliable-broadcast.log']));
    const events = eventsOf(log);
    const linesWithClock = text.split('\n').filter((l) => /\{"node\d" : \d+/.test(l)).length;
    expect(events).toHaveLength(linesWithClock);
    expect(log.executions[0]?.hosts.sort()).toEqual(['node0', 'node1', 'node2', 'node3']);
    expect(events[0]).toMatchObject({ host: 'node0', text: 'Initiating RBBroadcast(DataMessage(1,Message1))', fields: { priority: 'INFO', date: '10/13/2014 04:23:20.113' } });
  });

  it('reads voldemort.log with threads as hosts and keeps the other named groups as fields', () => {
    const log = ok(parseShiViz(read('voldemort.log'), REAL_LOGS['voldemort.log']));
    expect(log.executions[0]?.hosts).toContain('42795@jvoldemortThread[main,5,main]');
    const first = eventsOf(log)[0];
    expect(first?.fields).toMatchObject({ class: 'voldemort.store.metadata.MetadataStore', priority: 'INFO' });
    expect(first?.text).toBe('metadata init().');
  });

  it('accepts a log with events out of order on a host, as ShiViz does (chord.log lines 1827–1829)', () => {
    const log = ok(parseShiViz(read('chord.log'), REAL_LOGS['chord.log']));
    const node60 = eventsOf(log).filter((e) => e.host === 'kv-node-60');
    expect(node60.find((e) => e.line === 1827)?.clock['kv-node-60']).toBe(26);
    expect(node60.find((e) => e.line === 1829)?.clock['kv-node-60']).toBe(25);
  });
});

describe('refusing bad logs, naming the line', () => {
  it('refuses a clock that is not JSON', () => {
    const e = error(parseShiViz('a {"a":1}\nstart\nb {"b":1, }\noops\n'));
    expect(e).toMatchObject({ code: 'clock_not_json', line: 3, field: 'body' });
    expect(e.message).toContain('line 3');
  });

  it('refuses a clock that is a JSON array rather than an object', () => {
    expect(error(parseShiViz('a {"a":1}\nx\nb [1]\ny\n', { regex: '(?<host>\\S*) (?<clock>[{[].*)\\n(?<event>.*)' }))).toMatchObject({
      code: 'clock_not_object',
      line: 3,
    });
  });

  it('refuses a counter that is negative, fractional or not a number', () => {
    for (const bad of ['-1', '1.5', '"3"', 'null']) {
      expect(error(parseShiViz(`a {"a":1}\nx\na {"a":2, "b":${bad}}\ny\n`))).toMatchObject({ code: 'clock_bad_counter', line: 3 });
    }
  });

  it('refuses a clock without an entry for its own host', () => {
    expect(error(parseShiViz('a {"a":1}\nx\nb {"a":1}\ny\n'))).toMatchObject({ code: 'clock_missing_host', line: 3 });
    expect(error(parseShiViz('a {"a":0}\nx\n'))).toMatchObject({ code: 'clock_missing_host', line: 1 });
  });

  it('refuses a host whose own counter repeats', () => {
    const e = error(parseShiViz('a {"a":1}\nx\na {"a":2}\ny\na {"a":2}\nz\n'));
    expect(e).toMatchObject({ code: 'clock_went_backwards', line: 5 });
  });

  it('refuses a host whose clock forgets what it had seen of another host', () => {
    const log = 'b {"b":1}\nsend\na {"a":1, "b":1}\nreceive\na {"a":2}\nlater\n';
    const e = error(parseShiViz(log));
    expect(e).toMatchObject({ code: 'clock_went_backwards', line: 5 });
    expect(e.message).toContain('"b"');
  });

  it('refuses an empty host', () => {
    expect(error(parseShiViz(' {"a":1}\nx\n'))).toMatchObject({ code: 'empty_host', line: 1 });
  });

  it('refuses a regex that does not compile, or lacks the host or clock group', () => {
    expect(error(parseShiViz('a {"a":1}\nx\n', { regex: '(?<host>' }))).toMatchObject({ code: 'invalid_regex', field: 'regex', line: null });
    expect(error(parseShiViz('a {"a":1}\nx\n', { regex: '(?<host>\\S*) (?<event>.*)' }))).toMatchObject({ code: 'missing_group', field: 'regex' });
    expect(error(parseShiViz('a {"a":1}\nx\n', { regex: '(?<clock>{.*})' })).message).toContain('host');
  });

  it('refuses a regex that gives up on the log, rather than throwing', () => {
    // One long line: the repetition outgrows the regex engine's backtracking stack, and exec throws a RangeError.
    const e = error(parseShiViz('ab'.repeat(5_000_000), { regex: '^(?<host>(?:a|b)*)(?<clock>x)' }));
    expect(e).toMatchObject({ code: 'regex_failed', field: 'regex', line: null });
    expect(e.message).toContain('the regex gave up on this log');
  });

  it('refuses a log the regex matches nowhere', () => {
    expect(error(parseShiViz('nothing here\n'))).toMatchObject({ code: 'no_match' });
  });

  it('refuses an invalid delimiter and two executions with one name', () => {
    expect(error(parseShiViz('a {"a":1}\nx\n', { delimiter: '(' }))).toMatchObject({ code: 'invalid_delimiter', field: 'delimiter' });
    const twice = '=== one ===\na {"a":1}\nx\n=== one ===\na {"a":1}\ny\n';
    expect(error(parseShiViz(twice, { delimiter: '^=== (?<trace>.*) ===$' }))).toMatchObject({ code: 'duplicate_execution', line: 4 });
  });

  it('counts line numbers of the upload form from its first line', () => {
    const form = `${'(?<host>\\S*) (?<clock>{.*})\\n(?<event>.*)'}\n\na {"a":1}\nx\na {"a":1}\ny\n`;
    expect(error(parseShiVizForm(form))).toMatchObject({ code: 'clock_went_backwards', line: 5 });
  });

  it('reads CRLF line ends like LF', () => {
    const log = ok(parseShiViz('a {"a":1}\r\nx\r\nb {"b":1,"a":1}\r\ny\r\n'));
    expect(eventsOf(log).map((e) => e.text)).toEqual(['x', 'y']);
  });
});

describe('the upload form', () => {
  it('takes the regex from line 1 and the delimiter from line 2', () => {
    const form = `${SHIVIZ_REGEX}\n^=== (?<trace>.*) ===$\n${read('multiple-comparison.log')}`;
    const log = ok(parseShiVizForm(form));
    expect(log.executions).toHaveLength(5);
    expect(log.executions[0]?.events[0]?.line).toBe(4);
  });
});

describe('turning a log into events', () => {
  it('stores events in an order where every cause comes before its effects', () => {
    const log = ok(parseShiViz(read('chord.log'), REAL_LOGS['chord.log']));
    const drafts = shiVizDrafts(log, { source: 'shiviz://chord.log', start: new Date('2026-01-01T00:00:00Z') });
    for (let i = 0; i < drafts.length; i += 37) {
      for (let j = 0; j < i; j++) expect(compare(drafts[i]!.vectorClock, drafts[j]!.vectorClock)).not.toBe('before');
    }
    expect(new Set(drafts.map((d) => d.id)).size).toBe(drafts.length);
    expect(drafts.every((d, i) => i === 0 || d.time > drafts[i - 1]!.time)).toBe(true);
  });

  it('links a receipt to the event it received from', () => {
    const log = ok(parseShiViz('a {"a":1}\nsend\nb {"b":1}\nidle\nb {"b":2, "a":1}\nreceive\n'));
    const drafts = shiVizDrafts(log, { source: 'shiviz://t.log', start: new Date(0) });
    const receipt = drafts.find((d) => d.data && (d.data as { text: string }).text === 'receive');
    const send = drafts.find((d) => (d.data as { text: string }).text === 'send');
    expect(receipt?.causationId).toBe(send?.id);
    expect(receipt?.correlationId).toBe(send?.correlationId);
    expect(drafts.find((d) => (d.data as { text: string }).text === 'idle')?.causationId).toBeNull();
  });

  it('gives each execution of a split log its own processes', () => {
    const log = ok(parseShiViz(read('multiple-comparison.log'), REAL_LOGS['multiple-comparison.log']));
    const drafts = shiVizDrafts(log, { source: 'shiviz://m.log', start: new Date(0) });
    const processes = new Set(drafts.map((d) => d.process));
    expect(processes.size).toBe(10);
    expect(processes).toContain('Base execution/mountainView');
    expect(drafts.find((d) => d.process === 'Same as base/paloAlto')?.vectorClock).toHaveProperty('Same as base/paloAlto');
  });

  it('gives the same ids when the same log is imported twice', () => {
    const log = ok(parseShiViz(read('reliable-broadcast.log'), REAL_LOGS['reliable-broadcast.log']));
    const a = shiVizDrafts(log, { source: 'shiviz://r.log', start: new Date(0) });
    const b = shiVizDrafts(log, { source: 'shiviz://r.log', start: new Date(5000) });
    expect(b.map((d) => d.id)).toEqual(a.map((d) => d.id));
  });
});

describe('exporting as a ShiViz log', () => {
  const host = fc.constantFrom('a', 'b', 'c', 'node-1');
  const text = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ' '));

  it('round-trips through the parser: same hosts, clocks and texts', () => {
    // Build consistent histories: each step is a local event or a receipt of the latest event of another host.
    const steps = fc.array(fc.tuple(host, fc.option(host, { nil: undefined }), text), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(steps, (plan) => {
        const clocks = new Map<string, Record<string, number>>();
        const events = plan.map(([h, from, t]) => {
          const own = { ...(clocks.get(h) ?? {}) };
          if (from && from !== h) for (const [k, n] of Object.entries(clocks.get(from) ?? {})) own[k] = Math.max(own[k] ?? 0, n);
          own[h] = (own[h] ?? 0) + 1;
          clocks.set(h, own);
          return { process: h, vectorClock: { ...own }, text: t };
        });
        const parsed = ok(parseShiViz(toShiVizLog(events)));
        expect(eventsOf(parsed).map((e) => ({ process: e.host, vectorClock: e.clock, text: e.text }))).toEqual(events);
      }),
    );
  });

  it('re-imports the real chord.log after an export with the same clocks', () => {
    const log = ok(parseShiViz(read('chord.log'), REAL_LOGS['chord.log']));
    const events = eventsOf(log).map((e) => ({ process: e.host, vectorClock: e.clock, text: e.text }));
    const again = eventsOf(ok(parseShiViz(toShiVizLog(events))));
    expect(again.map((e) => e.clock)).toEqual(events.map((e) => e.vectorClock));
  });
});

describe('the linear readers of the built-in layouts', () => {
  // The same pattern with an empty group added: not recognised as a built-in layout, so it runs as a regular
  // expression, as every log was parsed before the linear readers.
  const asRegex = (source: string) => `${source}(?:)`;
  const host = fc.constantFrom('a', 'b', 'node-1', 'x@y[1,2]');
  // Texts without `{`, so that no event's text reads as a host line.
  const text = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n\u2028\u2029]/g, ' ').replace(/{/g, '('));
  const noise = fc.constantFrom('', '# not an event', '{}', '\t{"a":1}', 'no clock {');

  /** A consistent history as log lines: each step a local event or a receipt of another host's latest. */
  const history = fc.array(fc.tuple(host, fc.option(host, { nil: undefined }), text, noise), { minLength: 1, maxLength: 30 }).map((plan) => {
    const clocks = new Map<string, Record<string, number>>();
    return plan.map(([h, from, t, junk]) => {
      const own = { ...(clocks.get(h) ?? {}) };
      if (from && from !== h) for (const [k, n] of Object.entries(clocks.get(from) ?? {})) own[k] = Math.max(own[k] ?? 0, n);
      own[h] = (own[h] ?? 0) + 1;
      clocks.set(h, own);
      return { hostLine: `${h} ${JSON.stringify(own)}`, text: t, junk };
    });
  });

  it("read GoVector logs exactly as GoVector's regex does", () => {
    fc.assert(
      fc.property(history, fc.constantFrom('\n', '\r\n'), (steps, eol) => {
        const log = steps.map((s) => [s.hostLine, s.text, ...(s.junk ? [s.junk] : [])].join(eol)).join(eol);
        const linear = parseShiViz(log);
        expect(linear.ok).toBe(true);
        expect(linear).toEqual(parseShiViz(log, { regex: asRegex(GOVECTOR_REGEX) }));
      }),
    );
  });

  it("read ShiViz logs exactly as ShiViz's regex does, split into executions", () => {
    fc.assert(
      fc.property(fc.array(history, { minLength: 1, maxLength: 3 }), (executions) => {
        const log = executions.map((steps, i) => [`=== run ${i} ===`, ...steps.flatMap((s) => [s.text, s.hostLine, ...(s.junk ? [s.junk] : [])])].join('\n')).join('\n');
        const delimiter = '^=== (?<trace>.*) ===$';
        const linear = parseShiViz(log, { regex: SHIVIZ_REGEX, delimiter });
        expect(linear.ok).toBe(true);
        expect(linear).toEqual(parseShiViz(log, { regex: asRegex(SHIVIZ_REGEX), delimiter }));
      }),
    );
  });

  it('read every real log as the regexes do, events and refusals alike', () => {
    for (const file of Object.keys(REAL_LOGS)) {
      for (const [regex, delimiter] of [
        [GOVECTOR_REGEX, null],
        [SHIVIZ_REGEX, null],
        [SHIVIZ_REGEX, '^=== (?<trace>.*) ===$'],
      ] as const) {
        expect(parseShiViz(read(file), { regex, delimiter }), `${file} ${regex} ${delimiter}`).toEqual(parseShiViz(read(file), { regex: asRegex(regex), delimiter }));
      }
    }
  });
});
