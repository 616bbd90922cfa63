/** Validates the flow on the server after every edit (debounced), keeping the latest answer. */
import { useEffect, useRef, useState } from 'react';
import type { Problem } from '../../shared/api/flows.js';
import { validateFlow } from '../api/flows.js';
import { describeError } from '../api/client.js';
import { draftOf, editorStore } from './store.js';

export interface Validation {
  errors: Problem[];
  warnings: Problem[];
  checking: boolean;
  failure: string | null;
  /** Shows another answer (a refused deploy's errors) until the next edit. */
  show(errors: Problem[]): void;
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
    return () => {
      latest.current++;
      clearTimeout(timer);
      unsubscribe();
    };
  }, [enabled, delayMs]);

  return { errors, warnings, checking, failure, show: setErrors };
}

export const byNode = (problems: Problem[]): Map<string, string[]> => {
  const map = new Map<string, string[]>();
  for (const p of problems) if (p.nodeId) map.set(p.nodeId, [...(map.get(p.nodeId) ?? []), p.path ? `${p.path}: ${p.message}` : p.message]);
  return map;
};
