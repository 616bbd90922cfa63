/**
 * The structured search's language, as a tree: a motif (ShiViz's request–response, broadcast, gather), or a chain
 * of event tests joined by happened-before arrows (`a -> b`, `a -> within 3 b`). The grammar is in docs/guide.md
 * ("Structured search"); query-parse.ts reads it, query-eval.ts answers it. Limits that keep any query cheap to
 * read live here, beside the tree they bound.
 */

/** A query longer than this (characters) is refused. */
export const MAX_QUERY_LENGTH = 1000;
/** Parentheses and `not`s nested deeper than this are refused. */
export const MAX_DEPTH = 32;
/** Most tests in a chain (`a -> b -> c` has 3). */
export const MAX_STEPS = 8;
/** Largest `within N`. */
export const MAX_HOPS = 1000;
/** Largest motif parameter. */
export const MAX_MOTIF_PARAM = 100;

export type FieldName = 'type' | 'process' | 'source' | 'id' | 'text';
export type Field = { name: FieldName } | { name: 'data'; path: string[] };
export type Op = '=' | '!=' | '~';

export type Expr =
  | { kind: 'any' }
  | { kind: 'test'; field: Field; op: Op; value: string }
  | { kind: 'not'; expr: Expr }
  | { kind: 'and' | 'or'; left: Expr; right: Expr };

export type MotifName = 'broadcast' | 'gather' | 'request-response';

export type Query =
  /** `steps[k] -> steps[k+1]`, within `hops[k]` direct links when not null. */
  | { kind: 'chain'; steps: Expr[]; hops: (number | null)[] }
  /** `param`: the fewest hosts (broadcast, gather) or the most local events between (request-response). */
  | { kind: 'motif'; motif: MotifName; param: number | null };

export type QueryErrorCode =
  | 'empty'
  | 'too_long'
  | 'too_deep'
  | 'too_many_steps'
  | 'unexpected'
  | 'unterminated_string'
  | 'bad_character'
  | 'unknown_field'
  | 'out_of_range';

/** A query that cannot be read: what is wrong, and where (0-based character offset in the query). */
export interface QueryError {
  code: QueryErrorCode;
  message: string;
  position: number;
}

export type ParseResult = { ok: true; query: Query } | { ok: false; error: QueryError };
