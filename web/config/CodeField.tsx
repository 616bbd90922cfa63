/**
 * A code field (JSONata or JavaScript) with its one error. A JSONata syntax error is found as the user types, by
 * the same check the server's compiler makes (shared/jsonata-syntax.ts), so the field and the problems list word
 * it alike; a JavaScript one comes with the server's validation (see syntax.ts), as `error` and `at`. The editor
 * itself (code/CodeEditor.tsx, CodeMirror) is loaded on first use; until it is there, a plain text area stands in.
 */
import { lazy, Suspense, useId } from 'react';
import type { LineColumn } from '../../shared/code-position.js';
import { jsonataSyntaxError } from '../../shared/jsonata-syntax.js';
import type { FieldTree } from './code/event-fields.js';

const CodeEditor = lazy(() => import('./code/CodeEditor.js'));

interface Props {
  id: string;
  label: string;
  language: 'jsonata' | 'javascript';
  params: string[];
  value: string;
  description?: string;
  error?: string;
  /** Where `error` is in the text, when it is a syntax error. */
  at?: LineColumn;
  readOnly?: boolean;
  /** Event fields to complete. */
  fields(): FieldTree;
  onChange(value: string): void;
}

export function CodeField({ id, label, language, params, value, description, error, at, readOnly, fields, onChange }: Props) {
  const hintId = useId();
  const syntax = language === 'jsonata' && value.trim() !== '' ? jsonataSyntaxError(value) : null;
  const message = syntax ? syntax.message : error;
  const place = syntax ? syntax.at : error ? at : undefined;
  const heading = language === 'javascript' ? `function (${params.join(', ')}) {` : 'JSONata';
  const describedBy = description ? hintId : undefined;
  const fallback = (
    <textarea
      id={id}
      className="code-input"
      spellCheck={false}
      rows={language === 'javascript' ? 6 : 2}
      value={value}
      disabled={readOnly}
      aria-invalid={message ? true : undefined}
      aria-describedby={describedBy}
      onChange={(e) => onChange(e.target.value)}
    />
  );
  return (
    <div className={`field code-field${message ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label} <span className="field-language">{language === 'jsonata' ? 'JSONata' : 'JavaScript'}</span>
      </label>
      {description ? <p className="field-help" id={hintId}>{description}</p> : null}
      <code className="code-frame">{heading}</code>
      <Suspense fallback={fallback}>
        <CodeEditor
          label={`${label} (${language === 'jsonata' ? 'JSONata' : 'JavaScript'})`}
          language={language}
          value={value}
          readOnly={Boolean(readOnly)}
          problem={message && place ? { message, at: place } : null}
          fields={fields}
          onChange={onChange}
        />
      </Suspense>
      {language === 'javascript' ? <code className="code-frame">{'}'}</code> : null}
      {message ? <p className="field-error" role="alert">{message}</p> : null}
    </div>
  );
}
