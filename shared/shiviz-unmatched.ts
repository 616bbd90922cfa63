/**
 * The lines of a ShiViz log that the parser's regex does not cover, so that an import says what it left out rather
 * than dropping it without a word (ShiViz itself skips such text silently). A line counts as covered when any match
 * of the regex touches it; blank lines and the execution delimiters are not listed.
 *
 * Pure: no I/O.
 */

/** A line of the log that no match of the regex covers. */
export interface UnmatchedLine {
  /** 1-based, in the text given (the upload form's first two lines counted). */
  line: number;
  /** The line's text, cut to `UNMATCHED_TEXT` characters. */
  text: string;
}

/** The most unmatched lines a parse lists; the rest are only counted. */
export const UNMATCHED_LIST = 100;
/** The longest text listed for one line. */
export const UNMATCHED_TEXT = 200;

/** Collects the unmatched lines of a log, segment by segment: the first `UNMATCHED_LIST` of them, and how many. */
export class UnmatchedLines {
  readonly lines: UnmatchedLine[] = [];
  count = 0;

  /**
   * The lines of `text` (a segment starting at `offset` in the whole log) that none of `spans` (offsets in the
   * segment, end exclusive, in order) touches. `lineOf` turns an offset in the whole log into its line number.
   */
  add(text: string, offset: number, spans: readonly (readonly [start: number, end: number])[], lineOf: (offset: number) => number, lineOffset: number): void {
    let span = 0;
    let start = 0;
    while (start <= text.length) {
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      while (span < spans.length && spans[span]![1] <= start) span++;
      const next = spans[span];
      // A span touches [start, end] when it starts at or before the line's end (its newline included).
      const covered = next !== undefined && next[0] <= end && next[1] > start;
      const content = text.slice(start, end);
      if (!covered && content.trim() !== '') {
        this.count++;
        if (this.lines.length < UNMATCHED_LIST) {
          this.lines.push({ line: lineOf(offset + start) + lineOffset, text: content.length > UNMATCHED_TEXT ? `${content.slice(0, UNMATCHED_TEXT - 1)}…` : content });
        }
      }
      if (newline < 0) break;
      start = newline + 1;
    }
  }
}
