/**
 * Validates the flow on the server after every edit (debounced), keeping the latest answer, with the fields that
 * do not parse yet added as errors (problems.ts): the one list that Problems, the status bar and the node badges
 * count. A check that failed because the server was away is made again once it answers (live/reach.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Problem } from '../../shared/api/flows.js';
import { validateFlow } from '../api/flows.js';
import { describeError } from '../api/client.js';
import { onRecovered } from '../live/reach.js';
import { invalidProblems } from './problems.js';
import { draftOf, editorStore, useEditor } from './store.js';

export interface Validation {
  errors: Problem[];
  warnings: Problem[];
  checking: boolean;
  failure: string | null;
  /** Shows another answer (a refused deploy's problems) until the next edit. */
  show(errors: Problem[], warnings?: Problem[]): void;
}

/**
 * Watches the editor store itself rather than taking its version as a prop: a drag bumps the version on every
 * frame, and the editor around this hook should not redraw for each of them.
 */
export function useValidation(enabled: boolean, delayMs = 400): Validation {
  const [errors, setErrors] = useState<Problem[]>([]);
  const [warnings, setWarnings] = useState<Problem[]>([]);
  const [checking, setChecking] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const latest = useRef(0);
  const invalid = useEditor((s) => s.invalid);

  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      const ticket = ++latest.current;
      setChecking(true);
      clearTimeout(timer);
      timer = setTimeout(async () => {
        try {
          const answer = await validateFlow(draftOf(editorStore.getState()));
          if (ticket !== latest.current) return;
          setErrors(answer.errors);
          setWarnings(answer.warnings);
          setFailure(null);
        } catch (error) {
          if (ticket === latest.current) setFailure(describeError(error));
        } finally {
          if (ticket === latest.current) setChecking(false);
        }
      }, delayMs);
    };
    schedule();
    const unsubscribe = editorStore.subscribe((s, before) => {
      if (s.version !== before.version) schedule();
    });
    // An answer that failed while the server was away is asked again once it is back.
    const offRecovered = onRecovered(schedule);
    return () => {
      latest.current++;
      clearTimeout(timer);
      unsubscribe();
      offRecovered();
    };
  }, [enabled, delayMs]);

  const all = useMemo(() => [...invalidProblems(invalid), ...errors], [invalid, errors]);
  const show = useMemo(
    () => (shown: Problem[], shownWarnings?: Problem[]) => {
      setErrors(shown);
      if (shownWarnings) setWarnings(shownWarnings);
    },
    [],
  );
  return { errors: all, warnings, checking, failure, show };
}
