/**
 * A synchronous fast path for the smallest JSONata expressions: field paths, literals, comparisons, `and`/`or`,
 * arithmetic, unary minus and object constructors with literal keys. From the parsed AST it builds a plain
 * function whose answers equal what JSONata's `evaluate` gives. Where an input value makes JSONata's semantics
 * non-trivial (an array on a path, mixed types, a value JSONata rejects) the function answers `UNSURE` and the
 * caller asks JSONata. Expressions outside the subset compile to `null`.
 */

/** The answer "ask JSONata": the input makes the expression more than the fast path can decide exactly. */
export const UNSURE: unique symbol = Symbol('unsure');

/** The value of the expression for an input, or `UNSURE`. */
export type DirectExpression = (input: unknown) => unknown;

type AstNode = Record<string, unknown>;
type Truth = boolean | typeof UNSURE;

/** `null` when the expression (or any flag on its nodes) is outside the subset. */
export function compileDirect(ast: unknown): DirectExpression | null {
  if (!isNode(ast)) return null;
  switch (ast.type) {
    case 'path':
      return compilePath(ast);
    case 'string':
    case 'number':
    case 'value':
      return compileLiteral(ast);
    case 'unary':
      if (ast.value === '-') return compileNegation(ast);
      if (ast.value === '{') return compileObject(ast);
      return null;
    case 'binary':
      return compileBinary(ast);
    default:
      return null;
  }
}

const LEAF_KEYS = new Set(['type', 'value', 'position']);
const PATH_KEYS = new Set(['type', 'steps']);
const NEGATION_KEYS = new Set(['type', 'value', 'position', 'expression']);
const OBJECT_KEYS = new Set(['type', 'value', 'position', 'lhs']);
const BINARY_KEYS = new Set(['type', 'value', 'position', 'lhs', 'rhs']);

/** Keys JSONata refuses in an object constructor (D1013). */
const RESERVED_KEYS = new Set(['_jsonata_lambda', '_jsonata_function']);

const isNode = (value: unknown): value is AstNode => typeof value === 'object' && value !== null && !Array.isArray(value);

const hasOnly = (node: AstNode, allowed: Set<string>): boolean => Object.keys(node).every((key) => allowed.has(key));

/** What JSONata takes for a function rather than data (it never looks inside one). */
const isFunctionLike = (value: object): boolean =>
  (value as AstNode)._jsonata_function === true || (value as AstNode)._jsonata_lambda === true;

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** What JSONata's arithmetic accepts without an error. */
const isArithmeticOperand = (value: unknown): boolean => value === undefined || isFiniteNumber(value);

/** What JSONata's `<` `<=` `>` `>=` accept on either side (T2010 otherwise). */
const isComparable = (value: unknown): boolean => value === undefined || typeof value === 'number' || typeof value === 'string';

const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null;

/** A plain field path from the input: each step must meet a non-array object, or nothing. */
function compilePath(node: AstNode): DirectExpression | null {
  if (!hasOnly(node, PATH_KEYS) || !Array.isArray(node.steps) || node.steps.length === 0) return null;
  const names: string[] = [];
  for (const step of node.steps as unknown[]) {
    if (!isNode(step) || step.type !== 'name' || !hasOnly(step, LEAF_KEYS) || typeof step.value !== 'string') return null;
    names.push(step.value);
  }
  return (input) => {
    let value = input;
    for (const name of names) {
      if (typeof value !== 'object' || value === null) return typeof value === 'function' ? UNSURE : undefined;
      if (Array.isArray(value) || isFunctionLike(value)) return UNSURE;
      if (!Object.hasOwn(value, name)) return undefined;
      value = (value as AstNode)[name];
    }
    return Array.isArray(value) || typeof value === 'function' ? UNSURE : value;
  };
}

function compileLiteral(node: AstNode): DirectExpression | null {
  if (!hasOnly(node, LEAF_KEYS)) return null;
  const { type, value } = node;
  const valid =
    (type === 'string' && typeof value === 'string') ||
    (type === 'number' && isFiniteNumber(value)) ||
    (type === 'value' && (typeof value === 'boolean' || value === null));
  return valid ? () => value : null;
}

function compileNegation(node: AstNode): DirectExpression | null {
  if (!hasOnly(node, NEGATION_KEYS)) return null;
  const operand = compileDirect(node.expression);
  if (!operand) return null;
  return (input) => {
    const value = operand(input);
    if (value === UNSURE || value === undefined) return value;
    return isFiniteNumber(value) ? -value : UNSURE;
  };
}

/** `{'k': expr, ...}`: fields whose value is undefined are left out; the result has no prototype, as JSONata's. */
function compileObject(node: AstNode): DirectExpression | null {
  if (!hasOnly(node, OBJECT_KEYS) || !Array.isArray(node.lhs)) return null;
  const fields: [string, DirectExpression][] = [];
  for (const pair of node.lhs as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) return null;
    const [keyNode, valueNode] = pair as [unknown, unknown];
    if (!isNode(keyNode) || keyNode.type !== 'string' || !hasOnly(keyNode, LEAF_KEYS)) return null;
    const key = keyNode.value;
    if (typeof key !== 'string' || RESERVED_KEYS.has(key) || fields.some(([k]) => k === key)) return null;
    const value = compileDirect(valueNode);
    if (!value) return null;
    fields.push([key, value]);
  }
  return (input) => {
    const result: AstNode = Object.create(null);
    for (const [key, field] of fields) {
      const value = field(input);
      if (value === UNSURE) return UNSURE;
      if (value !== undefined) result[key] = value;
    }
    return result;
  };
}

type Operation = (lhs: unknown, rhs: unknown) => unknown;

const arithmetic =
  (apply: (a: number, b: number) => number): Operation =>
  (lhs, rhs) => {
    if (!isArithmeticOperand(lhs) || !isArithmeticOperand(rhs)) return UNSURE;
    if (lhs === undefined || rhs === undefined) return undefined;
    const result = apply(lhs as number, rhs as number);
    return Number.isFinite(result) ? result : UNSURE;
  };

const comparison =
  (apply: (a: number | string, b: number | string) => boolean): Operation =>
  (lhs, rhs) => {
    if (!isComparable(lhs) || !isComparable(rhs)) return UNSURE;
    if (lhs === undefined || rhs === undefined) return undefined;
    if (typeof lhs !== typeof rhs) return UNSURE;
    return apply(lhs as number | string, rhs as number | string);
  };

/** Equal values are identical unless both are objects (a deep comparison: left to JSONata). */
const equality =
  (equal: boolean): Operation =>
  (lhs, rhs) => {
    if (lhs === undefined || rhs === undefined) return false;
    if (isObject(lhs) && isObject(rhs)) return UNSURE;
    return (lhs === rhs) === equal;
  };

const OPERATIONS: Record<string, Operation> = {
  '+': arithmetic((a, b) => a + b),
  '-': arithmetic((a, b) => a - b),
  '*': arithmetic((a, b) => a * b),
  '/': arithmetic((a, b) => a / b),
  '%': arithmetic((a, b) => a % b),
  '<': comparison((a, b) => a < b),
  '<=': comparison((a, b) => a <= b),
  '>': comparison((a, b) => a > b),
  '>=': comparison((a, b) => a >= b),
  '=': equality(true),
  '!=': equality(false),
};

/** JSONata's effective boolean value (its `$boolean`, with undefined as false). */
function truth(value: unknown): Truth {
  switch (typeof value) {
    case 'undefined':
      return false;
    case 'boolean':
      return value;
    case 'string':
      return value.length > 0;
    case 'number':
      if (Number.isNaN(value)) return false;
      return Number.isFinite(value) ? value !== 0 : UNSURE;
    case 'object':
      if (value === null) return false;
      if (Array.isArray(value) || isFunctionLike(value)) return UNSURE;
      return Object.keys(value).length > 0;
    default:
      return UNSURE;
  }
}

function compileBinary(node: AstNode): DirectExpression | null {
  if (!hasOnly(node, BINARY_KEYS) || typeof node.value !== 'string') return null;
  const op = node.value;
  const lhs = compileDirect(node.lhs);
  const rhs = compileDirect(node.rhs);
  if (!lhs || !rhs) return null;
  if (op === 'and' || op === 'or') return compileBoolean(op, lhs, rhs);
  const operation = Object.hasOwn(OPERATIONS, op) ? OPERATIONS[op] : undefined;
  if (!operation) return null;
  return (input) => {
    const left = lhs(input);
    if (left === UNSURE) return UNSURE;
    const right = rhs(input);
    if (right === UNSURE) return UNSURE;
    return operation(left, right);
  };
}

/** The right side is evaluated only when the left does not decide, as JSONata does. */
function compileBoolean(op: 'and' | 'or', lhs: DirectExpression, rhs: DirectExpression): DirectExpression {
  const truthOf = (side: DirectExpression, input: unknown): Truth => {
    const value = side(input);
    return value === UNSURE ? UNSURE : truth(value);
  };
  const decided = op === 'or';
  return (input) => {
    const left = truthOf(lhs, input);
    return left === decided || left === UNSURE ? left : truthOf(rhs, input);
  };
}
