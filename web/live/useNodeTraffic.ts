/**
 * The last events one node of a running flow took in and sent out (GET /api/flows/:id/nodes/:node/traffic), asked
 * again every second while the node is watched — hovered or selected — and not at all otherwise: one small request
 * for the one node looked at, never a feed of every node's events.
 */
import { useEffect, useState } from 'react';
import type { NodeTraffic } from '../../shared/api/flows.js';
import { describeError } from '../api/client.js';
import { getNodeTraffic } from '../api/flows.js';

export const TRAFFIC_POLL_MS = 1000;

export interface WatchedTraffic {
  nodeId: string | null;
  traffic: NodeTraffic | null;
  error: string | null;
}

export function useNodeTraffic(flowId: string, nodeId: string | null, running: boolean): WatchedTraffic {
  const [state, setState] = useState<WatchedTraffic>({ nodeId: null, traffic: null, error: null });
  useEffect(() => {
    if (!nodeId || !running) return;
    let closed = false;
    const poll = async () => {
      try {
        const traffic = await getNodeTraffic(flowId, nodeId);
        if (!closed) setState({ nodeId, traffic, error: null });
      } catch (error) {
        if (!closed) setState((s) => ({ nodeId, traffic: s.nodeId === nodeId ? s.traffic : null, error: describeError(error) }));
      }
    };
    void poll();
    const timer = setInterval(poll, TRAFFIC_POLL_MS);
    return () => {
      closed = true;
      clearInterval(timer);
    };
  }, [flowId, nodeId, running]);
  return state.nodeId === nodeId ? state : { nodeId, traffic: null, error: null };
}
