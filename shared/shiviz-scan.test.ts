import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOVECTOR_REGEX, SHIVIZ_REGEX } from './shiviz.js';
import { isRegexSpace, scanGoVector, scanShiViz, type LayoutMatch } from './shiviz-scan.js';

const DATA = '/work/shared/data/shiviz/';

/** What `exec` in a loop finds with the layout's regular expression, as the parser used to run it. */
function regexMatches(source: string, text: string): LayoutMatch[] {
  const regex = new RegExp(source, 'gmd');
  const out: LayoutMatch[] = [];
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    const g = m.groups!;
    out.push({ index: m.index, clockIndex: m.indices!.groups!.clock![0], host: g.host!, clock: g.clock!, event: g.event! });
  }
  return out;
}

const LAYOUTS = [
  { name: 'GoVector', source: GOVECTOR_REGEX, scan: scanGoVector, oneEvent: (line: string) => `${line}}\nevent\n` },
  { name: 'ShiViz', source: SHIVIZ_REGEX, scan: scanShiViz, oneEvent: (line: string) => `event\n${line}}\n` },
];

/** Texts made of the characters the layouts care about: spaces, braces, line ends of every kind, other white space. */
const trickyText = fc
  .array(fc.constantFrom('a', 'b', ' ', ' ', '{', '{', '}', '}', '\n', '\n', '\r', '\t', '\u2028', '\u00a0', '"', ':', '1', 'a {"a":1}\n', 'x\n'), { maxLength: 60 })
  .map((parts) => parts.join(''));

describe('the linear layout scanners', () => {
  it('take \\s to mean what a JavaScript regular expression means by it, for every UTF-16 code unit', () => {
    const differ: number[] = [];
    for (let c = 0; c <= 0xffff; c++) if (isRegexSpace(c) !== /\s/.test(String.fromCharCode(c))) differ.push(c);
    expect(differ).toEqual([]);
  });

  for (const { name, source, scan, oneEvent } of LAYOUTS) {
    it(`find the same matches as ${name}'s regex on any text, quirks included`, () => {
      fc.assert(
        fc.property(trickyText, (text) => {
          expect(scan(text)).toEqual(regexMatches(source, text));
        }),
        { numRuns: 3000 },
      );
    });

    it(`find the same matches as ${name}'s regex on every real log`, () => {
      for (const file of readdirSync(DATA).filter((f) => f.endsWith('.log'))) {
        const text = readFileSync(DATA + file, 'utf8').replace(/\r\n?/g, '\n');
        expect(scan(text), file).toEqual(regexMatches(source, text));
      }
    });

    it(`find nothing in 2 MB of "a {" on one line, where ${name}'s regex backtracks quadratically`, () => {
      const line = 'a {'.repeat(700_000);
      expect(scan(line)).toEqual([]);
      expect(scan(oneEvent(line))).toMatchObject([{ host: 'a', clock: `{${line.slice(3)}}`, event: 'event' }]);
    });
  }
});
