/**
 * Fitting the whole flow shown into the canvas: the nodes and the pane size React Flow holds, so it fits whichever
 * canvas is on screen (the draft, or an older revision being viewed).
 */
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import { fittedViewport } from './opening-view.js';

/** Fits the nodes shown, or the given positions (nodes just moved, before React Flow has them). */
export function useFitView(): (positions?: readonly { x: number; y: number }[]) => void {
  const store = useStoreApi();
  const flow = useReactFlow();
  return useCallback((positions) => {
    const state = store.getState();
    const view = fittedViewport(positions ?? state.nodes.map((n) => n.position), state);
    if (view) void flow.setViewport(view);
  }, [store, flow]);
}
