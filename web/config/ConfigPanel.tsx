/**
 * The selected node's settings: name, process and its type's config form, with the errors on each field. A node
 * of an older revision shows the same panel read-only: every input disabled, marked with the reason.
 */
import './config.css';
import { memo } from 'react';
import type { FlowNode } from '../../shared/flow.js';
import { nodeType } from '../../shared/nodes/index.js';
import type { Problem } from '../../shared/api/flows.js';
import type { LineColumn } from '../../shared/code-position.js';
import type { FieldTree } from './code/event-fields.js';
import { configErrors, problemText, type FieldErrors } from './field-errors.js';
import type { InvalidText } from './JsonInput.js';
import { configJsonSchema } from './json-schema.js';
import { SchemaForm } from './SchemaForm.js';

/** What the panel edits: a node without its position (moving a node does not redraw its settings). */
export type NodeSettings = Pick<FlowNode, 'id' | 'type' | 'name' | 'process' | 'config'>;

interface Props {
  node: NodeSettings;
  /** The server's problems for this node (compile or deploy errors). */
  problems: Problem[];
  /** Why these settings cannot be edited (`revision 3`), or undefined when they can. */
  readOnly?: string;
  /** Event fields that code fields complete. */
  fields?: () => FieldTree;
  /** JSON typed into fields that does not parse, by field path. */
  invalid?: Record<string, string>;
  onInvalid?(path: string, text: InvalidText | null): void;
  onChange(change: Partial<Pick<FlowNode, 'name' | 'process' | 'config'>>): void;
}

/**
 * A field's one error: the schema's own check first, then the server's errors on config paths (scripts), worded
 * without the path; with the place in the text of a syntax error. A JSONata syntax error and JSON that does not
 * parse are left to their fields, which find them as the user types with the same check and wording.
 */
function errorsFor(node: NodeSettings, problems: Problem[]): { errors: FieldErrors; marks: Record<string, LineColumn> } {
  const errors = configErrors(node.type, node.config);
  const marks: Record<string, LineColumn> = {};
  for (const p of problems) {
    const key = p.path.replace(/^config\.?/, '');
    if (!p.path.startsWith('config') || key === '' || p.code === 'jsonata_syntax' || p.code === 'invalid_field' || key in errors) continue;
    errors[key] = problemText(p);
    if (p.at) marks[key] = p.at;
  }
  return { errors, marks };
}

export const ConfigPanel = memo(function ConfigPanel({ node, problems, readOnly, fields, invalid, onInvalid, onChange: change }: Props) {
  const locked = readOnly !== undefined;
  const onChange = (value: Parameters<Props['onChange']>[0]) => {
    if (!locked) change(value);
  };
  const def = nodeType(node.type);
  const schema = configJsonSchema(node.type);
  const { errors, marks } = errorsFor(node, problems);
  const general = problems.filter((p) => !p.path.startsWith('config.') || p.path === 'config');
  const idPrefix = `cfg-${node.id}`;
  return (
    <aside className={`config-panel${locked ? ' read-only' : ''}`} aria-label={locked ? `Node settings (read-only: ${readOnly})` : 'Node settings'}>
      <header className="panel-header">
        <h2>
          <span className="kind-dot" style={{ background: def?.palette.colour }} aria-hidden /> {def?.palette.label ?? node.type} <span className="muted">{node.id}</span>
        </h2>
      </header>
      {locked ? <p className="read-only-note">read-only: {readOnly}</p> : null}
      {def ? <p className="field-help">{def.palette.help}</p> : <p className="field-error">Unknown node type “{node.type}”.</p>}
      <div className="field">
        <label htmlFor={`${idPrefix}-name`}>Name</label>
        <input id={`${idPrefix}-name`} type="text" value={node.name} disabled={locked} onChange={(e) => onChange({ name: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-process`}>Process</label>
        <input id={`${idPrefix}-process`} type="text" value={node.process} disabled={locked} onChange={(e) => onChange({ process: e.target.value })} />
      </div>
      {general.map((p, i) => (
        <p key={i} className="field-error" role="alert">
          {p.message}
        </p>
      ))}
      {schema ? (
        <SchemaForm
          type={node.type}
          schema={schema}
          value={node.config}
          errors={errors}
          marks={marks}
          {...(fields ? { fields } : {})}
          {...(invalid ? { invalid } : {})}
          {...(onInvalid && !locked ? { onInvalid } : {})}
          readOnly={locked}
          idPrefix={idPrefix}
          onChange={(config) => onChange({ config })}
        />
      ) : null}
    </aside>
  );
});
