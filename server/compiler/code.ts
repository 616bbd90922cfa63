/**
 * User code inside configs: JSONata expressions and JavaScript bodies must parse.
 */
import { jsonataSyntaxError } from '../../shared/jsonata-syntax.js';
import type { CodeField } from '../../shared/nodes/index.js';
import { dotted, under, type Report } from './errors.js';
import type { CheckedNode } from './nodes.js';
import { checkScript, type ScriptChecker } from './script-check.js';

export async function checkCode(nodes: readonly CheckedNode[], report: Report, scripts: ScriptChecker = checkScript): Promise<void> {
  const checks = nodes.flatMap((node) => codeFieldsOf(node).map((field) => checkField(node, field, scripts)));
  for (const problem of await Promise.all(checks)) {
    if (problem !== null) report.error(problem.code, problem.at);
  }
}

type FieldProblem = { code: 'jsonata_syntax' | 'script_syntax'; at: Parameters<Report['error']>[1] } | null;

async function checkField(checked: CheckedNode, field: CodeField, scripts: ScriptChecker): Promise<FieldProblem> {
  const nodeId = checked.node.id;
  const path = under('config', field.path);
  if (field.language === 'jsonata') {
    const error = jsonataSyntaxError(field.source);
    if (error === null) return null;
    return { code: 'jsonata_syntax', at: { nodeId, path, message: `${path}: ${error.message}`, at: error.at } };
  }
  const error = await scripts(field.source, field.params ?? []);
  if (error === null) return null;
  const where = error.line > 0 ? ` at line ${error.line}, column ${error.column}` : '';
  const at = error.line > 0 ? { at: { line: error.line, column: Math.max(error.column, 1) } } : {};
  return { code: 'script_syntax', at: { nodeId, path, message: `${path}: JavaScript syntax error${where}: ${error.message}`, ...at } };
}

/**
 * The code fields of a node. A config that did not parse is read as it is, skipping fields whose own schema
 * check failed (they are reported already) and fields that are not text.
 */
function codeFieldsOf(checked: CheckedNode): CodeField[] {
  const { definition, config, node, configIssues } = checked;
  if (definition === undefined) return [];
  let fields: CodeField[];
  try {
    fields = definition.code(config ?? node.config);
  } catch {
    return [];
  }
  if (!Array.isArray(fields)) return [];
  return fields.filter((f) => {
    if (typeof f.source !== 'string' || f.source === '') return false;
    const path = dotted(f.path);
    return !configIssues.some((issue) => issue === path || path.startsWith(`${issue}.`) || issue === '');
  });
}
