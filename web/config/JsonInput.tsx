/**
 * Free JSON (a timer's data, an actor's initial state), kept as typed until it parses. Text that does not parse is
 * not a value, but it is an edit: it is handed over (`onInvalid`) so the editor counts it as an unsaved, invalid
 * change that blocks saving, and handed back (`invalid`) when the form is drawn again, so it is not lost.
 */
import { useEffect, useState } from 'react';

export interface InvalidText {
  text: string;
  /** The one wording of the problem, for the field and the problems list alike. */
  message: string;
}

export const invalidJsonMessage = (reason: string): string => `Not valid JSON: ${reason}`;

interface Props {
  id: string;
  value: unknown;
  readOnly: boolean;
  /** Text typed earlier that did not parse. */
  invalid?: string | undefined;
  onInvalid(text: InvalidText | null): void;
  onChange(v: unknown): void;
}

export function JsonInput({ id, value, readOnly, invalid, onInvalid, onChange }: Props) {
  const shown = value === undefined ? '' : JSON.stringify(value, null, 2);
  const [text, setText] = useState(invalid ?? shown);
  const problem = parseProblem(text);
  useEffect(() => {
    // Only an outside change of the value (undo, another node) replaces what is typed.
    if (problem === null && JSON.stringify(text.trim() === '' ? null : JSON.parse(text)) !== JSON.stringify(value ?? null)) setText(shown);
  }, [shown]);
  return (
    <>
      <textarea
        id={id}
        className="code-input"
        rows={3}
        spellCheck={false}
        value={text}
        disabled={readOnly}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          const reason = parseProblem(next);
          if (reason === null) {
            onInvalid(null);
            onChange(next.trim() === '' ? undefined : JSON.parse(next));
          } else onInvalid({ text: next, message: invalidJsonMessage(reason) });
        }}
      />
      {problem ? <p className="field-error" role="alert">{invalidJsonMessage(problem)}</p> : null}
    </>
  );
}

/** Why a text is not JSON, or null when it is (an empty text is "not set"). */
function parseProblem(text: string): string | null {
  if (text.trim() === '') return null;
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : 'not valid JSON';
  }
}
