/**
 * Reads a structured-search query (grammar in docs/guide.md) into its tree (query-syntax.ts), or answers the first
 * problem with its code and the character offset where it is. Never throws, whatever the input: the length,
 * nesting and chain length are bounded before they cost anything, and strings are read in one pass.
 *
 * Pure: no I/O.
 */
import { MAX_DEPTH, MAX_HOPS, MAX_MOTIF_PARAM, MAX_QUERY_LENGTH, MAX_STEPS, type Expr, type Field, type FieldName, type MotifName, type Op, type ParseResult, type Query, type QueryError, type QueryErrorCode } from './query-syntax.js';

type TokenKind = 'word' | 'string' | 'number' | '(' | ')' | '->' | '=' | '!=' | '~' | '*' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  at: number;
}

class Refused {
  constructor(readonly error: QueryError) {}
}
const refuse = (code: QueryErrorCode, position: number, message: string): never => {
  throw new Refused({ code, position, message: `at ${position + 1}: ${message}` });
};

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_.*:/@-]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const at = i;
    if (ch === '-' && text[i + 1] === '>') {
      tokens.push({ kind: '->', text: '->', at });
      i += 2;
    } else if (ch === '→') {
      tokens.push({ kind: '->', text: '→', at });
      i++;
    } else if (ch === '!' && text[i + 1] === '=') {
      tokens.push({ kind: '!=', text: '!=', at });
      i += 2;
    } else if (ch === '(' || ch === ')' || ch === '=' || ch === '~' || ch === '*') {
      tokens.push({ kind: ch, text: ch, at });
      i++;
    } else if (ch === '"' || ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) refuse('unterminated_string', at, `the string that starts here has no closing ${ch}`);
        const c = text[i]!;
        if (c === ch) break;
        if (c === '\\' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else {
          value += c;
          i++;
        }
      }
      i++;
      tokens.push({ kind: 'string', text: value, at });
    } else if (/[0-9]/.test(ch)) {
      while (i < text.length && /[0-9]/.test(text[i]!)) i++;
      // A number glued to letters (`3a`) is a word-like value, read whole.
      while (i < text.length && WORD_PART.test(text[i]!) && !(text[i] === '-' && text[i + 1] === '>')) i++;
      const word = text.slice(at, i);
      tokens.push({ kind: /^[0-9]+$/.test(word) ? 'number' : 'word', text: word, at });
    } else if (WORD_START.test(ch)) {
      while (i < text.length && WORD_PART.test(text[i]!) && !(text[i] === '-' && text[i + 1] === '>')) i++;
      tokens.push({ kind: 'word', text: text.slice(at, i), at });
    } else {
      refuse('bad_character', at, `unexpected character ${JSON.stringify(ch)}`);
    }
  }
  tokens.push({ kind: 'end', text: '', at: text.length });
  return tokens;
}

const FIELDS = new Set(['type', 'process', 'host', 'source', 'id', 'text']);
const MOTIFS = new Set<MotifName>(['broadcast', 'gather', 'request-response']);
const describe = (t: Token) => (t.kind === 'end' ? 'the end of the query' : t.kind === 'string' ? `"${t.text}"` : `'${t.text}'`);

class Parser {
  private k = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private get peek(): Token {
    return this.tokens[this.k]!;
  }
  private take(): Token {
    return this.tokens[this.k++]!;
  }
  private isWord(word: string): boolean {
    return this.peek.kind === 'word' && this.peek.text.toLowerCase() === word;
  }
  private expect(kind: TokenKind, what: string): Token {
    if (this.peek.kind !== kind) refuse('unexpected', this.peek.at, `expected ${what}, found ${describe(this.peek)}`);
    return this.take();
  }

  query(): Query {
    if (this.peek.kind === 'word' && MOTIFS.has(this.peek.text.toLowerCase() as MotifName)) return this.motif();
    const steps: Expr[] = [this.or()];
    const hops: (number | null)[] = [];
    while (this.peek.kind === '->') {
      const arrow = this.take();
      if (steps.length >= MAX_STEPS) refuse('too_many_steps', arrow.at, `a chain holds at most ${MAX_STEPS} tests`);
      let within: number | null = null;
      if (this.isWord('within')) {
        this.take();
        within = this.integer(1, MAX_HOPS, 'the most hops');
      }
      hops.push(within);
      steps.push(this.or());
    }
    if (this.peek.kind !== 'end') refuse('unexpected', this.peek.at, `expected 'and', 'or', '->' or the end, found ${describe(this.peek)}`);
    return { kind: 'chain', steps, hops };
  }

  private motif(): Query {
    const motif = this.take().text.toLowerCase() as MotifName;
    let param: number | null = null;
    if (this.peek.kind === '(') {
      this.take();
      param = this.integer(motif === 'request-response' ? 0 : 1, MAX_MOTIF_PARAM, motif === 'request-response' ? 'the most local events between' : 'the fewest hosts');
      this.expect(')', "')'");
    }
    if (this.peek.kind !== 'end') refuse('unexpected', this.peek.at, `a motif stands alone; found ${describe(this.peek)} after it`);
    return { kind: 'motif', motif, param };
  }

  private integer(min: number, max: number, what: string): number {
    const t = this.expect('number', `a number (${what})`);
    const n = Number(t.text);
    if (t.text.length > 9 || n < min || n > max) refuse('out_of_range', t.at, `${what} must be from ${min} to ${max}, not ${t.text.length > 9 ? `${t.text.slice(0, 9)}…` : t.text}`);
    return n;
  }

  private or(): Expr {
    let left = this.and();
    while (this.isWord('or')) {
      this.take();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.unary();
    while (this.isWord('and')) {
      this.take();
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    const start = this.peek;
    if (start.kind === '(' || this.isWord('not')) {
      if (++this.depth > MAX_DEPTH) refuse('too_deep', start.at, `nested deeper than ${MAX_DEPTH} levels`);
      this.take();
      const expr: Expr = start.kind === '(' ? this.or() : { kind: 'not', expr: this.unary() };
      if (start.kind === '(') this.expect(')', "')'");
      this.depth--;
      return expr;
    }
    if (start.kind === '*') {
      this.take();
      return { kind: 'any' };
    }
    return this.test();
  }

  private test(): Expr {
    const name = this.expect('word', 'a field (type, process, source, id, text, data.<name>), a motif, ( or *');
    const field = fieldOf(name);
    const opToken = this.peek;
    if (opToken.kind !== '=' && opToken.kind !== '!=' && opToken.kind !== '~') refuse('unexpected', opToken.at, `expected =, != or ~ after ${name.text}, found ${describe(opToken)}`);
    this.take();
    const value = this.peek;
    if (value.kind !== 'word' && value.kind !== 'string' && value.kind !== 'number' && value.kind !== '*') refuse('unexpected', value.at, `expected a value after ${opToken.text}, found ${describe(value)}`);
    this.take();
    return { kind: 'test', field, op: opToken.kind as Op, value: value.text };
  }
}

function fieldOf(token: Token): Field {
  const lower = token.text.toLowerCase();
  if (FIELDS.has(lower)) return { name: (lower === 'host' ? 'process' : lower) as FieldName };
  if (lower.startsWith('data.')) {
    const path = token.text.slice(5).split('.');
    if (path.every((p) => p !== '')) return { name: 'data', path };
  }
  return refuse('unknown_field', token.at, `unknown field '${token.text}' (type, process, host, source, id, text, data.<name>)`);
}

export function parseQuery(text: string): ParseResult {
  if (text.length > MAX_QUERY_LENGTH) return { ok: false, error: { code: 'too_long', position: MAX_QUERY_LENGTH, message: `the query is longer than ${MAX_QUERY_LENGTH} characters` } };
  if (text.trim() === '') return { ok: false, error: { code: 'empty', position: 0, message: 'the query is empty' } };
  try {
    return { ok: true, query: new Parser(tokenize(text)).query() };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, error: error.error };
    throw error;
  }
}
