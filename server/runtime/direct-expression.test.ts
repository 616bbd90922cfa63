import fc from 'fast-check';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/event.js';
import { compileDirect, UNSURE } from './direct-expression.js';
import { compileExpression } from './expressions.js';
import { sharedUserCodePool } from './user-code/pool.js';

const direct = (source: string) => compileDirect(jsonata(source).ast());
const run = (source: string, input: unknown) => {
  const f = direct(source);
  if (!f) throw new Error(`"${source}" is outside the direct subset`);
  return f(input);
};
const event = { type: 'reading.recorded', source: 'test://sensor', data: { t: 9, ok: true, name: 'a', list: [1, 2], nested: { x: 1 } } };

describe('direct paths', () => {
  it('reads plain field paths from the input, also quoted and back-quoted names', () => {
    expect(run('source', event)).toBe('test://sensor');
    expect(run('data.t', event)).toBe(9);
    expect(run('data."t"', event)).toBe(9);
    expect(run('`data`.nested.x', event)).toBe(1);
    expect(run('`a b`.c', { 'a b': { c: 2 } })).toBe(2);
    expect(run('data.nested', event)).toBe(event.data.nested);
  });

  it('answers undefined for a missing field, a step into a scalar and an inherited property', () => {
    expect(run('data.missing', event)).toBeUndefined();
    expect(run('data.t.x', event)).toBeUndefined();
    expect(run('data.name.length', event)).toBeUndefined();
    expect(run('constructor', {})).toBeUndefined();
    expect(run('a', undefined)).toBeUndefined();
  });

  it('leaves arrays on the path, and values JSONata takes for functions, to JSONata', () => {
    expect(run('data.list', event)).toBe(UNSURE);
    expect(run('data.list.x', event)).toBe(UNSURE);
    expect(run('a', [{ a: 1 }])).toBe(UNSURE);
    expect(run('f.x', { f: { _jsonata_function: true, x: 1 } })).toBe(UNSURE);
  });
});

describe('direct literals and operators', () => {
  it('answers string, number, boolean and null literals', () => {
    expect(run("'x'", event)).toBe('x');
    expect(run('-2.5', event)).toBe(-2.5);
    expect(run('true', event)).toBe(true);
    expect(run('null', event)).toBeNull();
  });

  it('compares two numbers or two strings, and gives undefined when a side is missing', () => {
    expect(run('data.t > 8', event)).toBe(true);
    expect(run('data.t <= 8', event)).toBe(false);
    expect(run("data.name < 'b'", event)).toBe(true);
    expect(run('data.missing > 8', event)).toBeUndefined();
  });

  it('leaves comparisons of mixed or non-comparable types to JSONata', () => {
    expect(run("data.t > 'a'", event)).toBe(UNSURE);
    expect(run('data.ok > true', event)).toBe(UNSURE);
    expect(run('data.missing < null', event)).toBe(UNSURE);
    expect(run('data.nested > 1', event)).toBe(UNSURE);
  });

  it('tests equality of scalars, is false when a side is missing, and leaves two objects to JSONata', () => {
    expect(run("type = 'reading.recorded'", event)).toBe(true);
    expect(run('data.ok != true', event)).toBe(false);
    expect(run("data.t = '9'", event)).toBe(false);
    expect(run('data.missing = data.missing', event)).toBe(false);
    expect(run('data.missing != 1', event)).toBe(false);
    expect(run('data.nested = 1', event)).toBe(false);
    expect(run('data.nested = data.nested', event)).toBe(UNSURE);
  });

  it('combines with and/or by JSONata truthiness, not evaluating a right side the left decides', () => {
    expect(run('data.t > 8 and data.ok = true', event)).toBe(true);
    expect(run("data.name and ''", event)).toBe(false);
    expect(run('data.missing or data.nested', event)).toBe(true);
    expect(run('{} or 0', event)).toBe(false);
    expect(run('false and data.ok > 1', event)).toBe(false);
    expect(run('true or data.ok > 1', event)).toBe(true);
    expect(run('true and data.ok > 1', event)).toBe(UNSURE);
    expect(run('data.list and true', event)).toBe(UNSURE);
  });

  it('does arithmetic on numbers, undefined when an operand is missing', () => {
    expect(run('data.t * 1.8 + 32', event)).toBe(9 * 1.8 + 32);
    expect(run('data.t % 4 - 1 / 2', event)).toBe(0.5);
    expect(run('-data.t', event)).toBe(-9);
    expect(run('data.missing + 1', event)).toBeUndefined();
    expect(run('-data.missing', event)).toBeUndefined();
  });

  it('leaves arithmetic on non-numbers and results that are not finite to JSONata', () => {
    expect(run("data.t + '1'", event)).toBe(UNSURE);
    expect(run("data.missing + 'a'", event)).toBe(UNSURE);
    expect(run("-'x'", event)).toBe(UNSURE);
    expect(run('data.t / 0', event)).toBe(UNSURE);
    expect(run('x * 10', { x: 1e308 })).toBe(UNSURE);
    expect(run('-x', { x: Infinity })).toBe(UNSURE);
  });
});

describe('direct object constructors', () => {
  it('builds an object without prototype and leaves out fields whose value is undefined', () => {
    const result = run("{'celsius': data.t, 'gone': data.missing, 'inner': {'from': source}}", event);
    expect(result).toStrictEqual(Object.assign(Object.create(null), { celsius: 9, inner: Object.assign(Object.create(null), { from: 'test://sensor' }) }));
    expect(Object.getPrototypeOf(result)).toBeNull();
  });

  it('is unsure of the whole object when one field is', () => {
    expect(run("{'a': 1, 'b': data.list}", event)).toBe(UNSURE);
  });

  it('does not take duplicate, reserved or computed keys', () => {
    expect(direct("{'a': 1, \"a\": 2}")).toBeNull();
    expect(direct("{'_jsonata_function': 1}")).toBeNull();
    expect(direct('{type: 1}')).toBeNull();
  });
});

describe('outside the direct subset', () => {
  it.each([
    '$string(data.t)',
    '$',
    '$$.data',
    '$x',
    'data.t[0]',
    'data[t > 1]',
    'data.t[]',
    'data.*',
    '**.t',
    'data.(t)',
    '(data.t)',
    "data.t > 8 ? 'hot' : 'cold'",
    "source & '!'",
    'data.t in [1, 2]',
    '[1..3]',
    '[data.t]',
    '/ab/',
    'data{name: t}',
    'data^(t)',
    'data.t@$x',
    'data#$i',
    'function($x) {$x}',
    "{'a': 1}.a",
    "data ~> $string()",
    'data.t ?? 1',
    'data.nested.%.t',
  ])('%s is left to JSONata', (source) => {
    expect(direct(source)).toBeNull();
  });
});

describe('compileExpression', () => {
  it('answers a direct expression without a promise', () => {
    expect(compileExpression('data.t > 8', sharedUserCodePool()).evaluateAll([event as unknown as StoredEvent])).toEqual([true]);
  });

  it('answers through JSONata in a user-code thread when the expression is outside the subset or the input makes it unsure', async () => {
    const outside = compileExpression('$count(data.list)', sharedUserCodePool()).evaluateAll([event as unknown as StoredEvent]);
    expect(outside).toBeInstanceOf(Promise);
    expect(await outside).toEqual([2]);
    const unsure = compileExpression('data.list', sharedUserCodePool()).evaluateAll([event as unknown as StoredEvent, { data: { list: 3 } } as unknown as StoredEvent]);
    expect(unsure).toBeInstanceOf(Promise);
    expect(await unsure).toEqual([[1, 2], 3]);
  });
});

// Random inputs: small nested JSON-like values over few keys, so paths often meet something.
const KEYS = ['a', 'b', 't', 'ok', 'data', '_jsonata_function'] as const;
const scalar = fc.oneof(
  fc.integer({ min: -3, max: 10 }),
  fc.constantFrom(0, -0, 0.5, 1.8, 1e308, -1e308, Infinity, NaN),
  fc.constantFrom('', 'a', 'b', 'x'),
  fc.boolean(),
  fc.constant(null),
);
const { object: objectArb } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('object'), tie('array')),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4 }),
  array: fc.array(tie('value'), { maxLength: 3 }),
}));

// Random expressions from the direct grammar, printed with the fewest parentheses (a parenthesis is a block,
// which is outside the subset), plus some expressions outside it.
interface Source {
  text: string;
  precedence: number;
}
const PRIMARY = 100;
const BINARY = { or: 25, and: 30, '=': 40, '!=': 40, '<': 40, '<=': 40, '>': 40, '>=': 40, '+': 50, '-': 50, '*': 60, '/': 60, '%': 60 };
const operand = (s: Source, precedence: number, right: boolean) =>
  s.precedence < precedence || (right && s.precedence === precedence) ? `(${s.text})` : s.text;

const nameArb = fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('plain', 'plain', 'back', 'quote'));
const pathArb = fc.array(nameArb, { minLength: 1, maxLength: 3 }).map((names) =>
  names.map(([n, style], i) => (style === 'back' ? `\`${n}\`` : style === 'quote' && i > 0 ? `"${n}"` : n)).join('.'),
);
const literalArb = fc.constantFrom('0', '1', '2', '8', '-1', '1.5', '0.1', '1e308', "'a'", '"x"', "''", 'true', 'false', 'null');
const unsupportedArb = fc.constantFrom('$string(t)', 'a[0]', "a & 'x'", '$', 'a ? 1 : 2', 't in [1, 2]', 'a.b[]', '$exists(a)', "{'a': 1}.a", '**.t', 'a.*', '[1..3]', '$.t');
const sourceArb: fc.Arbitrary<Source> = fc.letrec<{ expr: Source; binary: Source; negation: Source; object: Source }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small' },
    pathArb.map((text) => ({ text, precedence: PRIMARY })),
    literalArb.map((text) => ({ text, precedence: PRIMARY })),
    unsupportedArb.map((text) => ({ text, precedence: 0 })),
    tie('binary'),
    tie('negation'),
    tie('object'),
  ),
  binary: fc.tuple(tie('expr'), fc.constantFrom(...(Object.keys(BINARY) as (keyof typeof BINARY)[])), tie('expr')).map(([l, op, r]) => ({
    text: `${operand(l, BINARY[op], false)} ${op} ${operand(r, BINARY[op], true)}`,
    precedence: BINARY[op],
  })),
  negation: tie('expr').map((e) => ({ text: `-${e.text.startsWith('-') ? ' ' : ''}${operand(e, PRIMARY, false)}`, precedence: PRIMARY })),
  object: fc
    .array(fc.tuple(fc.constantFrom('a', 'b', '1', 't', '_jsonata_lambda'), tie('expr')), { maxLength: 3 })
    .map((pairs) => ({ text: `{${pairs.map(([k, v]) => `'${k}': ${v.text}`).join(', ')}}`, precedence: PRIMARY })),
})).expr;

type Outcome = { value: unknown } | { code: unknown };
const outcome = async (evaluate: () => unknown): Promise<Outcome> => {
  try {
    return { value: await evaluate() };
  } catch (error) {
    return { code: (error as { code?: unknown }).code };
  }
};
const viaJsonata = async (source: string, input: unknown) => {
  const value: unknown = await jsonata(source).evaluate(input);
  return Array.isArray(value) ? Array.from(value) : value;
};
/** What a node gets in-process: the direct answer, or JSONata's when the direct path has none. */
const viaExpression = (source: string, input: unknown): unknown => {
  const f = direct(source);
  const value = f ? f(input) : UNSURE;
  return value === UNSURE ? viaJsonata(source, input) : value;
};

describe('the direct evaluator against JSONata (property)', () => {
  it('gives what JSONata gives, or the same error, for random expressions and events', async () => {
    let answeredDirectly = 0;
    const runs = 4000;
    await fc.assert(
      fc.asyncProperty(sourceArb, objectArb, async ({ text }, input) => {
        const expected = await outcome(() => viaJsonata(text, input));
        const actual = await outcome(() => viaExpression(text, input));
        expect(actual).toStrictEqual(expected);
        const f = 'value' in expected ? direct(text) : null;
        if (f && f(input) !== UNSURE) answeredDirectly++;
      }),
      { numRuns: runs },
    );
    expect(answeredDirectly).toBeGreaterThan(runs / 4);
  });

  it('gives what JSONata gives for paths and comparisons on events with every field present', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ t: scalar, ok: scalar, name: scalar }),
        fc.constantFrom(
          'data.t > 8',
          'data.t = data.ok',
          'data.name <= data.t',
          'data.t * 1.8 + 32',
          'data.t * 1e308 - data.ok',
          '-data.t',
          'data.ok and data.name',
          'data.t * 2 > data.ok or data.name',
          "{'c': data.t, 'n': data.name}",
        ),
        async (data, source) => {
          const input = { type: 'x', data };
          const expected = await outcome(() => viaJsonata(source, input));
          expect(await outcome(() => viaExpression(source, input))).toStrictEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
