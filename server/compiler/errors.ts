/**
 * Compile problems: typed values with a stable `code`, the node the editor marks and the path of the field.
 */
import type { Problem } from '../../shared/api/flows.js';

/** Problems that stop a flow from compiling. */
export const ERROR_CODES = [
  'invalid_flow',
  'duplicate_node_id',
  'duplicate_edge_id',
  'unknown_node_type',
  'invalid_config',
  'missing_node',
  'unknown_port',
  'cycle',
  'jsonata_syntax',
  'script_syntax',
  'no_source',
  'too_many_handlers',
  'unknown_subflow',
  'subflow_cycle',
  'subflow_too_large',
] as const;

/** Problems worth showing that do not stop a flow from compiling. */
export const WARNING_CODES = [
  'duplicate_edge',
  'unreachable',
  'unconnected_input',
  'unconnected_output',
  'unknown_config_field',
  'actor_cycle',
  'actor_key_spans_partitions',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
export type WarningCode = (typeof WARNING_CODES)[number];

/**
 * A problem as the editor shows it and the API answers it (shared/api/flows.ts): a code from ERROR_CODES or
 * WARNING_CODES, the node, the field path and the message.
 */
export type CompileProblem = Problem;

/** Collects errors and warnings; every check adds to one, nothing stops at the first problem. */
export class Report {
  readonly errors: CompileProblem[] = [];
  readonly warnings: CompileProblem[] = [];

  error(code: ErrorCode, at: Omit<CompileProblem, 'code'>): void {
    this.errors.push({ code, ...at });
  }

  warning(code: WarningCode, at: Omit<CompileProblem, 'code'>): void {
    this.warnings.push({ code, ...at });
  }
}

/** `['rules', 0, 'expression']` → `rules.0.expression`. */
export const dotted = (path: readonly PropertyKey[]): string => path.map((p) => String(p)).join('.');

/** A dotted path under a prefix: `under('config', ['rules', 0])` → `config.rules.0`; an empty path → the prefix. */
export const under = (prefix: string, path: readonly PropertyKey[]): string =>
  path.length === 0 ? prefix : `${prefix}.${dotted(path)}`;

/** `"n1"` — ids quoted the same way in every message. */
export const quote = (id: string): string => JSON.stringify(id);
