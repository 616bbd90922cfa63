/**
 * A code field's editor, CodeMirror 6: highlighting (JavaScript, or JSONata by jsonata-language.ts), line numbers,
 * bracket matching, completion (code-completion.ts) and the field's error underlined where it is. It is loaded
 * on demand by CodeField, so opening a flow does not wait for it. The text stays the caller's: every edit is
 * handed over, and a value changed outside (undo, another node) replaces the text.
 *
 * The editor lives in a shadow root of its own: CodeMirror styles itself at run time, which in a document means a
 * `<style>` element the app's Content-Security-Policy (`style-src 'self'`) refuses, while in a shadow root it
 * adopts constructed style sheets, which the policy allows. Hence a label by `aria-label` (an id cannot be
 * referred to across the shadow boundary).
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { offsetAt, rangeAt, type LineColumn } from '../../../shared/code-position.js';
import { codeCompletion } from './code-completion.js';
import type { FieldTree } from './event-fields.js';
import { jsonataLanguage } from './jsonata-language.js';

export interface CodeEditorProps {
  /** The field's label, as the editor's accessible name. */
  label: string;
  language: 'jsonata' | 'javascript';
  value: string;
  readOnly: boolean;
  /** The field's error with its place, underlined there; null when there is none or it has no place. */
  problem: { message: string; at: LineColumn } | null;
  /** What can be completed after a path, asked when completion opens. */
  fields(): FieldTree;
  onChange(value: string): void;
}

const theme = EditorView.theme({
  '&': { border: '1px solid #cbd5e1', borderRadius: '4px', background: '#fff', fontSize: '12px' },
  '&.cm-focused': { outline: '2px solid #93c5fd' },
  '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', minHeight: '2.6em' },
  '.cm-scroller': { maxHeight: '320px' },
  '.cm-gutters': { background: '#f8fafc', color: '#94a3b8', borderRight: '1px solid #e2e8f0' },
});

/** The diagnostic for a problem in this text: its place as a range, clamped to the text as it is now. */
export function diagnosticsOf(text: string, problem: CodeEditorProps['problem']): Diagnostic[] {
  if (!problem) return [];
  const { from, to } = rangeAt(text, offsetAt(text, problem.at));
  return [{ from, to, severity: 'error', message: problem.message }];
}

export default function CodeEditor({ label, language, value, readOnly, problem, fields, onChange }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const editable = useRef(new Compartment());
  const latest = useRef({ onChange, fields });
  latest.current = { onChange, fields };

  useEffect(() => {
    const shadow = host.current!.shadowRoot ?? host.current!.attachShadow({ mode: 'open' });
    const created = new EditorView({
      root: shadow,
      parent: shadow,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          bracketMatching(),
          closeBrackets(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          language === 'javascript' ? javascript() : jsonataLanguage,
          autocompletion({ override: [codeCompletion(language, () => latest.current.fields())] }),
          keymap.of([...closeBracketsKeymap, ...completionKeymap, ...defaultKeymap, ...historyKeymap]),
          editable.current.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.lineWrapping,
          theme,
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latest.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
    // The editor is made once per field; later changes of value, read-only and problem are applied below.
  }, [label, language]);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: editable.current.reconfigure([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]) });
  }, [readOnly]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, diagnosticsOf(v.state.doc.toString(), problem)));
  }, [problem?.message, problem?.at.line, problem?.at.column, value]);

  return <div ref={host} className="code-editor" data-language={language} />;
}
