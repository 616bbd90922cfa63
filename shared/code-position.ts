/**
 * Places in a code field's text, both ways: a character offset and a line and column (each from 1, as editors
 * and error messages count them). Checkers report one or the other; the editor underlines a range of offsets.
 */

export interface LineColumn {
  /** From 1. */
  line: number;
  /** From 1: the first character of a line is column 1. */
  column: number;
}

/** The line and column of an offset (clamped to the text). */
export function lineColumnAt(source: string, offset: number): LineColumn {
  const at = Math.min(Math.max(offset, 0), source.length);
  const before = source.slice(0, at);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: at - lineStart + 1 };
}

/** The offset of a line and column; a place past the end of a line or of the text is clamped to that end. */
export function offsetAt(source: string, { line, column }: LineColumn): number {
  const lines = source.split('\n');
  const index = Math.min(Math.max(line, 1), lines.length) - 1;
  let offset = 0;
  for (let i = 0; i < index; i++) offset += (lines[i] ?? '').length + 1;
  return offset + Math.min(Math.max(column, 1) - 1, (lines[index] ?? '').length);
}

/**
 * The range to underline for an error at an offset: the word or the one character there, or, at the end of the
 * text, its last character (an empty range cannot be seen).
 */
export function rangeAt(source: string, offset: number): { from: number; to: number } {
  const from = Math.min(Math.max(offset, 0), source.length);
  if (from === source.length) return { from: Math.max(0, from - 1), to: from };
  const word = /^[\w$]+/.exec(source.slice(from));
  return { from, to: from + (word ? word[0].length : 1) };
}
