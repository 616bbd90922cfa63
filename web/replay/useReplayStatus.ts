/**
 * A replay's status, kept current by its live stream (`/api/replays/:id/live`): progress while it runs, the final
 * status when it ends. Read once when the page opens; polled every 500 ms only if the stream fails.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { openEventStream } from '../api/client.js';
import { getReplay } from './api.js';
import { parseReplayMessage } from './messages.js';

export const POLL_MS = 500;

/** `failed`: the stream could not be opened or dropped before the end, and the status is polled instead. */
export type StreamState = 'connecting' | 'open' | 'ended' | 'failed';

export function useReplayStatus(id: string) {
  const client = useQueryClient();
  const [stream, setStream] = useState<StreamState>('connecting');
  const query = useQuery({
    queryKey: ['replay', id],
    queryFn: () => getReplay(id),
    refetchInterval: (q) => (stream === 'failed' && (!q.state.data || q.state.data.state === 'running') ? POLL_MS : false),
  });

  useEffect(() => {
    const key = ['replay', id];
    if (typeof EventSource === 'undefined') {
      setStream('failed');
      return;
    }
    let ended = false;
    setStream('connecting');
    const source = openEventStream(`/api/replays/${encodeURIComponent(id)}/live`);
    const handle = (name: string) => (e: MessageEvent<string>) => {
      const message = parseReplayMessage(name, e.data);
      if (!message) return;
      if (message.kind === 'status') {
        client.setQueryData(key, message.status);
        return;
      }
      ended = true;
      source.close();
      setStream('ended');
      // A read of the page's first status still under way must not overwrite the final one.
      void client.cancelQueries({ queryKey: key }).then(() => client.setQueryData(key, message.status));
    };
    for (const name of ['status', 'done']) source.addEventListener(name, handle(name) as EventListener);
    source.onopen = () => setStream('open');
    source.onerror = () => {
      if (ended) return;
      ended = true;
      source.close();
      setStream('failed');
    };
    return () => {
      ended = true;
      source.close();
    };
  }, [id, client]);

  return { ...query, stream };
}
