/**
 * Whether the server can be reached, for everything that would otherwise go on showing what it last knew: the
 * editor's running dot, its outage banner, and the messages an outage left behind. While an editor is open the
 * server's health is asked every two seconds (a small answer, from memory); the first answer after an outage marks
 * the server back, and whoever showed something stale because of it (a validation, a save that failed) hears of the
 * recovery and clears it.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { ApiFailure, request } from '../api/client.js';

export const HEALTH_POLL_MS = 2000;

export interface Reach {
  reachable: boolean;
  /** When the outage began (epoch ms); null while reachable. */
  lostAt: number | null;
}

export const reachStore = createStore<Reach>()(() => ({ reachable: true, lostAt: null }));

/** An error that says the server could not be reached (no answer at all, or a proxy's in its place). */
export const isUnreachable = (error: unknown): boolean =>
  error instanceof ApiFailure && (error.code === 'network' || error.status === 502 || error.status === 503 || error.status === 504);

export function noteReach(reachable: boolean): void {
  const now = reachStore.getState();
  if (now.reachable === reachable) return;
  reachStore.setState({ reachable, lostAt: reachable ? null : Date.now() });
}

/** Calls `onRecovered` each time the server is reached again after an outage. */
export function onRecovered(onRecovered: () => void): () => void {
  return reachStore.subscribe((s, before) => {
    if (s.reachable && !before.reachable) onRecovered();
  });
}

/** Asks the server's health on a timer while mounted, and reloads what the page shows once it is back. */
export function useReachability(pollMs = HEALTH_POLL_MS): Reach {
  const client = useQueryClient();
  useEffect(() => onRecovered(() => void client.invalidateQueries()), [client]);
  useEffect(() => {
    let closed = false;
    const probe = async () => {
      try {
        await request('/api/health');
        if (!closed) noteReach(true);
      } catch (error) {
        // Any answer, even a refusal, is a server that answers.
        if (!closed) noteReach(!isUnreachable(error));
      }
    };
    const timer = setInterval(probe, pollMs);
    return () => {
      closed = true;
      clearInterval(timer);
    };
  }, [pollMs]);
  return useStore(reachStore);
}
