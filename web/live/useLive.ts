/**
 * A deployed flow's live status and debug events over SSE, with the status polled when the stream is not
 * available. Debug entries are kept (newest first, bounded) unless paused.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { NodeCounters } from '../../shared/api/flows.js';
import { openEventStream } from '../api/client.js';
import { getStatus } from '../api/flows.js';
import { parseLiveMessage, type DebugEntry, type LiveStatus } from './messages.js';
import { cardCounters } from './card-counters.js';
import { addSample, emptyRates, type RateHistory } from './rates.js';

export const DEBUG_LIMIT = 500;

export interface Live {
  status: LiveStatus | null;
  /** The counters each card shows: the nodes', and the subflow instances' (card-counters.ts). */
  counters: Record<string, NodeCounters> | null;
  rates: RateHistory;
  debug: DebugEntry[];
  connected: boolean;
  paused: boolean;
  setPaused(paused: boolean): void;
  clear(): void;
}

export function useLive(flowId: string, enabled: boolean): Live {
  const [status, setStatus] = useState<LiveStatus | null>(null);
  const [rates, setRates] = useState<RateHistory>(emptyRates);
  const [debug, setDebug] = useState<DebugEntry[]>([]);
  const [connected, setConnected] = useState(false);
  const [paused, setPaused] = useState(false);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const seq = useRef(0);

  useEffect(() => {
    if (!enabled) return;
    let closed = false;
    const onStatus = (s: LiveStatus) => {
      setStatus(s);
      setRates((r) => addSample(r, cardCounters(s), Date.now()));
    };
    const source = openEventStream(`/api/flows/${encodeURIComponent(flowId)}/live`);
    const handle = (name: string) => (e: MessageEvent<string>) => {
      const message = parseLiveMessage(name, e.data);
      if (!message) return;
      if (message.kind === 'status') onStatus(message.status);
      else if (!pausedRef.current) setDebug((d) => [{ seq: ++seq.current, nodeId: message.nodeId, event: message.event }, ...d].slice(0, DEBUG_LIMIT));
    };
    for (const name of ['status', 'debug', 'message']) source.addEventListener(name, handle(name) as EventListener);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    // Counters are also polled: they keep moving if the stream drops, and show before its first message.
    const poll = async () => {
      try {
        const s = await getStatus(flowId);
        if (!closed) onStatus(s);
      } catch {
        /* shown as disconnected by the stream */
      }
    };
    void poll();
    const timer = setInterval(poll, 1000);
    return () => {
      closed = true;
      clearInterval(timer);
      source.close();
    };
  }, [flowId, enabled]);

  const clear = useCallback(() => setDebug([]), []);
  const counters = useMemo(() => (status ? cardCounters(status) : null), [status]);
  return { status, counters, rates, debug, connected, paused, setPaused, clear };
}
