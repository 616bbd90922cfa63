/**
 * Whether someone (another tab, another person) saved a newer revision of the flow than the one the editor builds
 * on: a conditional read every few seconds, which the server answers 304 with no body while nothing changed, so an
 * open editor learns of it within seconds instead of when it next saves. A failed read is retried on the next tick.
 */
import { useEffect, useState } from 'react';
import type { Flow } from '../../shared/flow.js';
import { newerRevision } from '../api/flows.js';

export const NEWER_REVISION_POLL_MS = 2000;

export function useNewerRevision(flowId: string, baseRevision: number | null, everyMs = NEWER_REVISION_POLL_MS): Flow | null {
  const [newer, setNewer] = useState<Flow | null>(null);

  useEffect(() => {
    setNewer(null);
    if (baseRevision === null) return;
    let stopped = false;
    const look = () => {
      if (document.visibilityState === 'hidden') return;
      newerRevision(flowId, baseRevision).then(
        (flow) => {
          if (!stopped) setNewer((held) => (flow && flow.revision !== held?.revision ? flow : flow ? held : null));
        },
        () => undefined,
      );
    };
    look();
    const timer = window.setInterval(look, everyMs);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [flowId, baseRevision, everyMs]);

  return newer;
}
