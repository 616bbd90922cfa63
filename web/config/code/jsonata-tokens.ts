/**
 * A JSONata tokenizer for highlighting, one token at a time over a line, as CodeMirror's stream parsers read
 * text: the only state carried from line to line is whether a block comment is still open. It never throws and
 * always moves forward, so a half-typed expression highlights as far as it can.
 */

/** Highlighting classes, by the names CodeMirror's highlighters know. */
export type TokenType = 'comment' | 'string' | 'number' | 'keyword' | 'atom' | 'variableName' | 'function' | 'propertyName' | 'operator' | 'bracket' | 'punctuation' | 'invalid';

export interface TokenizerState {
  inComment: boolean;
}

export interface Token {
  /** Offset just past the token. */
  end: number;
  /** Null for white space. */
  type: TokenType | null;
}

const KEYWORDS = new Set(['and', 'or', 'in', 'function']);
const ATOMS = new Set(['true', 'false', 'null']);
const OPERATORS = ['~>', ':=', '!=', '<=', '>=', '..', '??', '?:', '**', '=', '<', '>', '+', '-', '*', '/', '%', '&', '!', '?', ':', '|', '^', '@', '#', '.'];
const NAME = /^[A-Za-z_\u00C0-\uFFFF][\w\u00C0-\uFFFF]*/;
const NUMBER = /^(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;

export const startState = (): TokenizerState => ({ inComment: false });

/** The token starting at `pos` of `line`; `state` is updated in place for a comment left open. */
export function nextToken(line: string, pos: number, state: TokenizerState): Token {
  if (state.inComment) {
    const close = line.indexOf('*/', pos);
    state.inComment = close < 0;
    return { end: close < 0 ? line.length : close + 2, type: 'comment' };
  }
  const rest = line.slice(pos);
  const space = /^\s+/.exec(rest);
  if (space) return { end: pos + space[0].length, type: null };
  if (rest.startsWith('/*')) {
    const close = line.indexOf('*/', pos + 2);
    state.inComment = close < 0;
    return { end: close < 0 ? line.length : close + 2, type: 'comment' };
  }
  const c = rest[0] ?? '';
  if (c === '"' || c === "'") return { end: pos + quoted(rest, c), type: 'string' };
  if (c === '`') return { end: pos + quoted(rest, '`'), type: 'propertyName' };
  const number = NUMBER.exec(rest);
  if (number && /\d/.test(c)) return { end: pos + number[0].length, type: 'number' };
  if (c === '$') {
    const name = /^\$[\w$]*/.exec(rest)![0];
    const called = /^\s*\(/.test(rest.slice(name.length));
    return { end: pos + name.length, type: called ? 'function' : 'variableName' };
  }
  const name = NAME.exec(rest);
  if (name) {
    const word = name[0];
    const type = KEYWORDS.has(word) ? 'keyword' : ATOMS.has(word) ? 'atom' : 'propertyName';
    return { end: pos + word.length, type };
  }
  if ('()[]{}'.includes(c)) return { end: pos + 1, type: 'bracket' };
  if (c === ',' || c === ';') return { end: pos + 1, type: 'punctuation' };
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (op) return { end: pos + op.length, type: 'operator' };
  return { end: pos + 1, type: 'invalid' };
}

/** The length of a quoted run from its opening quote, through its closing one or to the end of the line. */
function quoted(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i + 1;
  }
  return text.length;
}

/** Every token of a text, line by line, with absolute offsets: for tests and for reading, not for the editor. */
export function tokensOf(text: string): { text: string; type: TokenType }[] {
  const state = startState();
  const out: { text: string; type: TokenType }[] = [];
  for (const line of text.split('\n')) {
    let pos = 0;
    while (pos < line.length) {
      const token = nextToken(line, pos, state);
      if (token.type) out.push({ text: line.slice(pos, token.end), type: token.type });
      pos = token.end;
    }
  }
  return out;
}
