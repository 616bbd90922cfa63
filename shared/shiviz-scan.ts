/**
 * Linear-time readers of the two built-in ShiViz layouts: GoVector's (`host {clock}` line, then the event's line)
 * and ShiViz's own (the event's line, then a `host {clock}` line).
 *
 * Each finds exactly the matches that its regular expression (`GOVECTOR_REGEX`, `SHIVIZ_REGEX` with flags `gmd`)
 * finds when run with `exec` in a loop: the same starts, the same groups, the same clock offsets, quirks included
 * (a host may start mid-line; ShiViz's event may be the empty rest of the previous clock's line). A backtracking
 * engine tries every start position and, on a long line that does not match, rescans the rest of the line from
 * each one: quadratic, and a 210 KB line of `a {` took half a minute. Here a start that fails rules out every other
 * start on the same line, so each character is looked at a bounded number of times.
 *
 * Pure: no I/O.
 */

export interface LayoutMatch {
  /** Offset of the match in the text (the regex's `match.index`). */
  index: number;
  /** Offset of the clock group. */
  clockIndex: number;
  host: string;
  clock: string;
  event: string;
}

/** The characters `.` does not match (no `s` flag). */
const isLineTerminator = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/** `\s` of a JavaScript regular expression: ECMAScript's WhiteSpace and LineTerminator. */
export function isRegexSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** The first line terminator at or after `from`, or the text's length: where `.*` from `from` stops. */
function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && !isLineTerminator(text.charCodeAt(i))) i++;
  return i;
}

const SPACE = 32;
const NEWLINE = 10;
const OPEN = 123; // {
const CLOSE = 125; // }

/**
 * `(?<host>\S*) (?<clock>{.*})\n(?<event>.*)`. A match starting on a line needs the line to end in `}` followed by
 * `\n` (`.*}` cannot cross a line end, and `\n` must follow the `}` at once); the first ` {` on the line then fixes
 * the host (the run of non-space characters before it) and the clock (from the `{` to the line's end).
 */
export function scanGoVector(text: string): LayoutMatch[] {
  const matches: LayoutMatch[] = [];
  let from = 0;
  while (from < text.length) {
    const end = lineEnd(text, from);
    let space = -1;
    if (text.charCodeAt(end) === NEWLINE && text.charCodeAt(end - 1) === CLOSE) {
      for (let i = from; i < end - 2; i++) {
        if (text.charCodeAt(i) === SPACE && text.charCodeAt(i + 1) === OPEN) {
          space = i;
          break;
        }
      }
    }
    if (space < 0) {
      from = end + 1;
      continue;
    }
    let hostStart = space;
    while (hostStart > from && !isRegexSpace(text.charCodeAt(hostStart - 1))) hostStart--;
    const eventEnd = lineEnd(text, end + 1);
    matches.push({ index: hostStart, clockIndex: space + 1, host: text.slice(hostStart, space), clock: text.slice(space + 1, end), event: text.slice(end + 1, eventEnd) });
    from = eventEnd;
  }
  return matches;
}

/**
 * `(?<event>.*)\n(?<host>\S*) (?<clock>{.*})`. A match starting on a line takes the rest of it as the event, needs
 * `\n` to end it, and the next line to be a run of non-space characters, a space, `{`, and a `}` later on that line
 * (the clock ends at the last one). Whether it matches does not depend on where on the line it starts.
 */
export function scanShiViz(text: string): LayoutMatch[] {
  const matches: LayoutMatch[] = [];
  let from = 0;
  while (from < text.length) {
    const end = lineEnd(text, from);
    const match = text.charCodeAt(end) === NEWLINE ? hostLineAt(text, end + 1) : null;
    if (!match) {
      from = end + 1;
      continue;
    }
    matches.push({ index: from, clockIndex: match.space + 1, host: text.slice(end + 1, match.space), clock: text.slice(match.space + 1, match.close + 1), event: text.slice(from, end) });
    from = match.close + 1;
  }
  return matches;
}

/** `(?<host>\S*) (?<clock>{.*})` anchored at `start`: the space after the host and the clock's last `}`. */
function hostLineAt(text: string, start: number): { space: number; close: number } | null {
  let space = start;
  while (space < text.length && !isRegexSpace(text.charCodeAt(space))) space++;
  if (text.charCodeAt(space) !== SPACE || text.charCodeAt(space + 1) !== OPEN) return null;
  const end = lineEnd(text, space + 2);
  for (let close = end - 1; close >= space + 2; close--) {
    if (text.charCodeAt(close) === CLOSE) return { space, close };
  }
  return null;
}
