import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseShiViz, parseShiVizForm, SHIVIZ_REGEX } from './shiviz.js';
import { UNMATCHED_LIST, UNMATCHED_TEXT } from './shiviz-unmatched.js';

const DATA = '/work/shared/data/shiviz/';
const BROADCAST_REGEX = '\\[(?<priority>\\w+)\\] \\[(?<date>[^\\]]+)\\] \\[[^\\]]+\\] \\[akka://Broadcast/user/(?<host>\\w+)\\] (?<clock>{.*?}) (?<event>.*)';

const logOf = (text: string, options: Parameters<typeof parseShiViz>[1] = {}) => {
  const parsed = parseShiViz(text, options);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.log;
};

describe('the lines a log holds that its regex does not cover', () => {
  it('lists each line between, before and after matches with its number and text, and no blank line', () => {
    const log = logOf('preamble\na {"a":1}\nsent\n\nstray note\nb {"a":1,"b":1}\ngot\ntrailer');
    expect(log.unmatched).toEqual([
      { line: 1, text: 'preamble' },
      { line: 5, text: 'stray note' },
      { line: 8, text: 'trailer' },
    ]);
    expect(log.unmatchedCount).toBe(3);
    expect(log.executions[0]!.events).toHaveLength(2);
  });

  it('lists nothing for a log every line of which a match covers, in both built-in layouts', () => {
    expect(logOf('a {"a":1}\nx\nb {"b":1}\ny\n').unmatchedCount).toBe(0);
    expect(logOf('x\na {"a":1}\ny\nb {"b":1}\n', { regex: SHIVIZ_REGEX }).unmatchedCount).toBe(0);
  });

  it('finds the dead-letter lines of reliable-broadcast.log that carry no clock, by their line numbers', () => {
    const text = readFileSync(`${DATA}reliable-broadcast.log`, 'utf8');
    const log = logOf(text, { regex: BROADCAST_REGEX });
    const lines = text.split('\n');
    const expected = lines.flatMap((line, i) => (line.trim() !== '' && !/\{"node\d" : /.test(line) ? [i + 1] : []));
    expect(expected.length).toBeGreaterThan(0);
    expect(log.unmatched.map((u) => u.line)).toEqual(expected);
    expect(log.unmatched[0]!.text).toContain('[akka://Broadcast/deadLetters]');
    expect(log.unmatchedCount).toBe(expected.length);
  });

  it('does not list the delimiters of multiple-comparison.log, and counts lines from the top of the upload form', () => {
    const text = readFileSync(`${DATA}multiple-comparison.log`, 'utf8');
    const parsed = parseShiVizForm(`${SHIVIZ_REGEX}\n^=== (?<trace>.*) ===$\n${text}junk line\n`);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.log.executions.length).toBeGreaterThan(1);
    expect(parsed.log.unmatched).toEqual([{ line: text.split('\n').length + 2, text: 'junk line' }]);
  });

  it('lists the first lines only, cut short, and counts them all', () => {
    const junk = Array.from({ length: UNMATCHED_LIST + 20 }, (_, i) => `junk ${i} ${'x'.repeat(UNMATCHED_TEXT)}`).join('\n');
    const log = logOf(`a {"a":1}\nx\n${junk}\n`);
    expect(log.unmatched).toHaveLength(UNMATCHED_LIST);
    expect(log.unmatchedCount).toBe(UNMATCHED_LIST + 20);
    expect(log.unmatched[0]).toMatchObject({ line: 3 });
    expect(log.unmatched[0]!.text).toHaveLength(UNMATCHED_TEXT);
  });
});
