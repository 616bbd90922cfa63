/**
 * A config form generated from a node type's schema: text, number, choice, yes/no, code (JSONata, JavaScript),
 * lists, key-value lists, nested groups and free JSON, with each field's error shown beside it. Read-only, every
 * input is disabled.
 */
import { useEffect, useState } from 'react';
import type { LineColumn } from '../../shared/code-position.js';
import { fieldTreeOf, type FieldTree } from './code/event-fields.js';
import { CodeField } from './CodeField.js';
import type { FieldErrors } from './field-errors.js';
import { JsonInput, type InvalidText } from './JsonInput.js';
import type { JsonSchema } from './json-schema.js';
import { fieldLabel } from './labels.js';
import { paramsFor } from './syntax.js';

interface FormProps {
  /** The node type, for code parameters. */
  type: string;
  schema: JsonSchema;
  value: Record<string, unknown>;
  errors: FieldErrors;
  /** Where a code field's error is in its text, by field path. */
  marks?: Record<string, LineColumn>;
  /** Event fields that code fields complete. */
  fields?: () => FieldTree;
  /** Text typed into JSON fields that does not parse, by field path: shown again when the form is redrawn. */
  invalid?: Record<string, string>;
  /** A JSON field's text stopped (or started again) to parse. */
  onInvalid?(path: string, text: InvalidText | null): void;
  readOnly?: boolean;
  /** Prefix of the inputs' ids (one form per node on a page). */
  idPrefix: string;
  onChange(value: Record<string, unknown>): void;
}

const noFields = () => fieldTreeOf([]);
const ignore = () => undefined;

export function SchemaForm({ type, schema, value, errors, marks = {}, fields = noFields, invalid = {}, onInvalid = ignore, readOnly, idPrefix, onChange }: FormProps) {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return <p className="muted">This node has nothing to configure.</p>;
  return (
    <div className="schema-form">
      {properties.map(([key, child]) => (
        <Field
          key={key}
          ctx={{ type, errors, marks, fields, invalid, onInvalid, readOnly: Boolean(readOnly), idPrefix }}
          path={[key]}
          schema={child}
          required={schema.required?.includes(key) ?? false}
          value={value[key]}
          onChange={(v) => onChange(setKey(value, key, v))}
        />
      ))}
    </div>
  );
}

interface Ctx {
  type: string;
  errors: FieldErrors;
  marks: Record<string, LineColumn>;
  fields(): FieldTree;
  invalid: Record<string, string>;
  onInvalid(path: string, text: InvalidText | null): void;
  readOnly: boolean;
  idPrefix: string;
}

interface FieldProps {
  ctx: Ctx;
  path: (string | number)[];
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  label?: string;
  onChange(value: unknown): void;
}

const setKey = (obj: Record<string, unknown>, key: string, v: unknown): Record<string, unknown> => {
  const out = { ...obj };
  if (v === undefined) delete out[key];
  else out[key] = v;
  return out;
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The choices of an enum or of a union of constants (`qos`: 0, 1, 2). */
function choicesOf(schema: JsonSchema): unknown[] | null {
  if (schema.enum) return schema.enum;
  if (schema.anyOf?.length && schema.anyOf.every((s) => 'const' in s)) return schema.anyOf.map((s) => s.const);
  return null;
}

function Field(props: FieldProps) {
  const { ctx, path, schema, value, onChange } = props;
  const key = path.map(String).join('.');
  const id = `${ctx.idPrefix}-${path.join('-')}`;
  const last = path[path.length - 1];
  const label = props.label ?? (typeof last === 'string' ? fieldLabel(last) : `Item ${Number(last) + 1}`);
  const error = ctx.errors[key];
  const choices = choicesOf(schema);

  if (schema.language) {
    return (
      <CodeField
        id={id}
        label={label}
        language={schema.language}
        params={paramsFor(ctx.type, String(last))}
        value={typeof value === 'string' ? value : ''}
        {...(schema.description ? { description: schema.description } : {})}
        {...(error ? { error } : {})}
        {...(ctx.marks[key] ? { at: ctx.marks[key] } : {})}
        readOnly={ctx.readOnly}
        fields={ctx.fields}
        onChange={(v) => onChange(v)}
      />
    );
  }
  if (choices) {
    const index = choices.findIndex((c) => c === value);
    return (
      <Wrap id={id} label={label} error={error} description={schema.description}>
        <select id={id} value={index < 0 ? '' : String(index)} disabled={ctx.readOnly} onChange={(e) => onChange(e.target.value === '' ? undefined : choices[Number(e.target.value)])}>
          {index < 0 ? <option value="">Choose…</option> : null}
          {choices.map((c, i) => (
            <option key={String(c)} value={String(i)}>
              {String(c)}
            </option>
          ))}
        </select>
      </Wrap>
    );
  }
  if (schema.type === 'boolean') {
    return (
      <div className={`field field-check${error ? ' has-error' : ''}`}>
        <input id={id} type="checkbox" checked={value === true} disabled={ctx.readOnly} onChange={(e) => onChange(e.target.checked)} />
        <label htmlFor={id}>{label}</label>
        {error ? <p className="field-error" role="alert">{error}</p> : null}
      </div>
    );
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    return (
      <Wrap id={id} label={label} error={error} description={schema.description}>
        <NumberInput id={id} value={typeof value === 'number' ? value : undefined} readOnly={ctx.readOnly} integer={schema.type === 'integer'} onChange={onChange} />
      </Wrap>
    );
  }
  if (schema.type === 'string') {
    return (
      <Wrap id={id} label={label} error={error} description={schema.description}>
        <input
          id={id}
          type="text"
          value={typeof value === 'string' ? value : ''}
          disabled={ctx.readOnly}
          aria-invalid={error ? true : undefined}
          placeholder={props.required ? 'required' : undefined}
          onChange={(e) => onChange(e.target.value === '' && !props.required ? undefined : e.target.value)}
        />
      </Wrap>
    );
  }
  if (schema.type === 'array' && schema.items) {
    return <ListField {...props} id={id} label={label} error={error} />;
  }
  if (schema.type === 'object' && schema.properties) {
    const obj = isRecord(value) ? value : {};
    return (
      <fieldset className={`field-group${error ? ' has-error' : ''}`}>
        <legend>{label}</legend>
        {Object.entries(schema.properties).map(([k, child]) => (
          <Field key={k} ctx={ctx} path={[...path, k]} schema={child} required={schema.required?.includes(k) ?? false} value={obj[k]} onChange={(v) => onChange(setKey(obj, k, v))} />
        ))}
        {error ? <p className="field-error" role="alert">{error}</p> : null}
      </fieldset>
    );
  }
  if (schema.type === 'object' && isRecord(schema.additionalProperties) && schema.additionalProperties.type === 'string') {
    return <KeyValueField id={id} label={label} error={error} readOnly={ctx.readOnly} value={isRecord(value) ? (value as Record<string, string>) : {}} onChange={onChange} />;
  }
  return (
    <Wrap id={id} label={`${label} (JSON)`} error={error} description={schema.description}>
      <JsonInput id={id} value={value} readOnly={ctx.readOnly} invalid={ctx.invalid[key]} onInvalid={(text) => ctx.onInvalid(key, text)} onChange={onChange} />
    </Wrap>
  );
}

function Wrap({ id, label, error, description, children }: { id: string; label: string; error?: string | undefined; description?: string | undefined; children: React.ReactNode }) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {description ? <p className="field-help">{description}</p> : null}
      {children}
      {error ? <p className="field-error" role="alert">{error}</p> : null}
    </div>
  );
}

/** Keeps the text as typed ("-", "1.") while passing on numbers; an empty field is "not set". */
function NumberInput({ id, value, readOnly, integer, onChange }: { id: string; value: number | undefined; readOnly: boolean; integer: boolean; onChange(v: unknown): void }) {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  useEffect(() => {
    if (value === undefined ? text !== '' : Number(text) !== value) setText(value === undefined ? '' : String(value));
    // Only an outside change (undo, another node) resets the text.
  }, [value]);
  return (
    <input
      id={id}
      type="text"
      inputMode={integer ? 'numeric' : 'decimal'}
      value={text}
      disabled={readOnly}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        if (next.trim() === '') onChange(undefined);
        else if (Number.isFinite(Number(next))) onChange(Number(next));
        else onChange(next);
      }}
    />
  );
}

function ListField({ ctx, path, schema, value, onChange, id, label, error }: FieldProps & { id: string; label: string; error: string | undefined }) {
  const items = Array.isArray(value) ? value : [];
  const item = schema.items as JsonSchema;
  const blank = item.type === 'object' ? {} : item.type === 'string' ? '' : undefined;
  return (
    <fieldset className={`field-group${error ? ' has-error' : ''}`} id={id}>
      <legend>{label}</legend>
      {items.length === 0 ? <p className="muted">None yet.</p> : null}
      {items.map((v, i) => (
        <div className="list-item" key={i}>
          <Field
            ctx={ctx}
            path={[...path, i]}
            schema={item}
            required
            value={v}
            label={`${label} ${i + 1}`}
            onChange={(next) => onChange(items.map((x, j) => (j === i ? next : x)))}
          />
          {ctx.readOnly ? null : (
            <button type="button" className="icon-button" aria-label={`Remove ${label.toLowerCase()} ${i + 1}`} onClick={() => onChange(items.filter((_, j) => j !== i))}>
              ×
            </button>
          )}
        </div>
      ))}
      {ctx.readOnly ? null : (
        <button type="button" className="small" onClick={() => onChange([...items, blank])}>
          Add to {label.toLowerCase()}
        </button>
      )}
      {error ? <p className="field-error" role="alert">{error}</p> : null}
    </fieldset>
  );
}

function KeyValueField({ id, label, error, readOnly, value, onChange }: { id: string; label: string; error: string | undefined; readOnly: boolean; value: Record<string, string>; onChange(v: unknown): void }) {
  const [rows, setRows] = useState<[string, string][]>(Object.entries(value));
  const commit = (next: [string, string][]) => {
    setRows(next);
    onChange(Object.fromEntries(next.filter(([k]) => k !== '')));
  };
  return (
    <fieldset className={`field-group${error ? ' has-error' : ''}`} id={id}>
      <legend>{label}</legend>
      {rows.length === 0 ? <p className="muted">None yet.</p> : null}
      {rows.map(([k, v], i) => (
        <div className="kv-row" key={i}>
          <input aria-label={`${label} ${i + 1} name`} value={k} disabled={readOnly} onChange={(e) => commit(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))} />
          <input aria-label={`${label} ${i + 1} value`} value={v} disabled={readOnly} onChange={(e) => commit(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))} />
          {readOnly ? null : (
            <button type="button" className="icon-button" aria-label={`Remove ${label.toLowerCase()} ${i + 1}`} onClick={() => commit(rows.filter((_, j) => j !== i))}>
              ×
            </button>
          )}
        </div>
      ))}
      {readOnly ? null : (
        <button type="button" className="small" onClick={() => setRows([...rows, ['', '']])}>
          Add to {label.toLowerCase()}
        </button>
      )}
      {error ? <p className="field-error" role="alert">{error}</p> : null}
    </fieldset>
  );
}
