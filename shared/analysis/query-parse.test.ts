import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuery } from './query-parse.js';
import { MAX_DEPTH, MAX_QUERY_LENGTH, MAX_STEPS, type Expr, type Query } from './query-syntax.js';

const parsed = (text: string): Query => {
  const result = parseQuery(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.query;
};
const refused = (text: string) => {
  const result = parseQuery(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
  return result.error;
};

/** A query as text again, fully parenthesised, for the round trip. */
function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'any':
      return '*';
    case 'not':
      return `not (${printExpr(e.expr)})`;
    case 'and':
    case 'or':
      return `(${printExpr(e.left)}) ${e.kind} (${printExpr(e.right)})`;
    case 'test':
      return `${e.field.name === 'data' ? `data.${e.field.path.join('.')}` : e.field.name} ${e.op} "${e.value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  }
}
const printQuery = (q: Query): string =>
  q.kind === 'motif' ? `${q.motif}${q.param === null ? '' : `(${q.param})`}` : q.steps.map((s, k) => (k === 0 ? '' : ` -> ${q.hops[k - 1] === null ? '' : `within ${q.hops[k - 1]} `}`) + printExpr(s)).join('');

const value = fc.string({ maxLength: 8 });
const test: fc.Arbitrary<Expr> = fc.record({
  kind: fc.constant('test' as const),
  field: fc.oneof(
    fc.constantFrom('type', 'process', 'source', 'id', 'text').map((name) => ({ name }) as const),
    fc.array(fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/), { minLength: 1, maxLength: 3 }).map((path) => ({ name: 'data' as const, path })),
  ),
  op: fc.constantFrom('=' as const, '!=' as const, '~' as const),
  value,
});
const expr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    test,
    fc.constant({ kind: 'any' } as const),
    fc.record({ kind: fc.constant('not' as const), expr: tie('e') }),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('e'), right: tie('e') }),
  ),
})).e;
const query: fc.Arbitrary<Query> = fc.oneof(
  fc.record({ kind: fc.constant('motif' as const), motif: fc.constantFrom('broadcast' as const, 'gather' as const, 'request-response' as const), param: fc.option(fc.integer({ min: 1, max: 100 })) }),
  fc.integer({ min: 1, max: 4 }).chain((n) =>
    fc.record({ kind: fc.constant('chain' as const), steps: fc.array(expr, { minLength: n, maxLength: n }), hops: fc.array(fc.option(fc.integer({ min: 1, max: 1000 })), { minLength: n - 1, maxLength: n - 1 }) }),
  ),
);

describe('the structured-search parser', () => {
  it('reads a test of each field, with host as another name for process and data paths', () => {
    expect(parsed('type = reading.*')).toEqual({ kind: 'chain', steps: [{ kind: 'test', field: { name: 'type' }, op: '=', value: 'reading.*' }], hops: [] });
    expect(parsed('host != node1')).toMatchObject({ steps: [{ field: { name: 'process' }, op: '!=', value: 'node1' }] });
    expect(parsed('data.reading.t = 42')).toMatchObject({ steps: [{ field: { name: 'data', path: ['reading', 't'] }, value: '42' }] });
    expect(parsed('text ~ "say \\"hi\\""')).toMatchObject({ steps: [{ field: { name: 'text' }, op: '~', value: 'say "hi"' }] });
  });

  it('binds and tighter than or, and reads not and parentheses', () => {
    const q = parsed('type = a or type = b and not (process = p)');
    expect(q).toMatchObject({ steps: [{ kind: 'or', left: { value: 'a' }, right: { kind: 'and', left: { value: 'b' }, right: { kind: 'not', expr: { value: 'p' } } } }] });
  });

  it('reads chains with unbounded and bounded arrows, written -> or →', () => {
    const q = parsed('type = send -> within 2 type = receive → *');
    expect(q).toMatchObject({ kind: 'chain', hops: [2, null] });
    expect((q as { steps: unknown[] }).steps).toHaveLength(3);
  });

  it('reads the motifs with and without their parameter, in any case', () => {
    expect(parsed('broadcast')).toEqual({ kind: 'motif', motif: 'broadcast', param: null });
    expect(parsed('Gather(3)')).toEqual({ kind: 'motif', motif: 'gather', param: 3 });
    expect(parsed('request-response(0)')).toEqual({ kind: 'motif', motif: 'request-response', param: 0 });
  });

  it('names the problem and where it is', () => {
    expect(refused('type =')).toMatchObject({ code: 'unexpected', position: 6 });
    expect(refused('type = a )')).toMatchObject({ code: 'unexpected', position: 9 });
    expect(refused('colour = red')).toMatchObject({ code: 'unknown_field', position: 0 });
    expect(refused('type = "open')).toMatchObject({ code: 'unterminated_string', position: 7 });
    expect(refused('type = a # b')).toMatchObject({ code: 'bad_character', position: 9 });
    expect(refused('(type = a')).toMatchObject({ code: 'unexpected', position: 9 });
    expect(refused('type = a -> within 0 type = b')).toMatchObject({ code: 'out_of_range', position: 19 });
    expect(refused('type = a -> within 99999999999 type = b')).toMatchObject({ code: 'out_of_range' });
    expect(refused('broadcast(0)')).toMatchObject({ code: 'out_of_range', position: 10 });
    expect(refused('broadcast and type = a')).toMatchObject({ code: 'unexpected', position: 10 });
    expect(refused('   ')).toMatchObject({ code: 'empty' });
    expect(refused('type = a ->').message).toBe("at 12: expected a field (type, process, source, id, text, data.<name>), a motif, ( or *, found the end of the query");
  });

  it('refuses hostile input before it costs anything: too long, too deep, too many steps', () => {
    expect(refused(`type = ${'a'.repeat(MAX_QUERY_LENGTH)}`)).toMatchObject({ code: 'too_long' });
    expect(refused(`${'('.repeat(MAX_DEPTH + 1)}*${')'.repeat(MAX_DEPTH + 1)}`)).toMatchObject({ code: 'too_deep', position: MAX_DEPTH });
    expect(refused(`${'not '.repeat(200)}*`)).toMatchObject({ code: 'too_deep' });
    expect(parsed(`${'('.repeat(MAX_DEPTH)}*${')'.repeat(MAX_DEPTH)}`)).toEqual({ kind: 'chain', steps: [{ kind: 'any' }], hops: [] });
    expect(refused(Array.from({ length: MAX_STEPS + 1 }, () => '*').join(' -> '))).toMatchObject({ code: 'too_many_steps' });
  });

  it('reads back any query it prints (property)', () => {
    fc.assert(
      fc.property(query, (q) => {
        expect(parsed(printQuery(q))).toEqual(q);
      }),
    );
  });

  it('never throws: any text is a query or an error at a position inside it (property)', () => {
    const pieces = fc.constantFrom('type', 'process', 'data.x', '=', '!=', '~', '->', 'within', '3', '(', ')', 'not', 'and', 'or', '*', '"', 'broadcast', ' ', '#', '→', 'x');
    const text = fc.oneof(fc.string({ maxLength: 60 }), fc.array(pieces, { maxLength: 30 }).map((p) => p.join(' ')), fc.array(pieces, { maxLength: 30 }).map((p) => p.join('')));
    fc.assert(
      fc.property(text, (t) => {
        const result = parseQuery(t);
        if (!result.ok) {
          expect(result.error.position).toBeGreaterThanOrEqual(0);
          expect(result.error.position).toBeLessThanOrEqual(t.length);
          expect(result.error.message).toMatch(/\S/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
