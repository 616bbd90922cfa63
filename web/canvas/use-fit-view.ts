/**
 * Fitting the whole flow shown into the canvas: the nodes and the pane size React Flow holds, so it fits whichever
 * canvas is on screen (the draft, or an older revision being viewed). Never below the zoom where cards can be read:
 * a flow too wide for that is shown from its start (opening-view.ts).
 */
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import { fittedViewport, openingViewport } from './opening-view.js';

/**
 * Fits the nodes shown, or the given positions (nodes just moved, before React Flow has them). `whole`: the
 * overview, every node in view however small (asked for by name, never by fit or layout).
 */
export function useFitView(): (positions?: readonly { x: number; y: number }[], whole?: boolean) => void {
  const store = useStoreApi();
  const flow = useReactFlow();
  return useCallback((positions, whole = false) => {
    const state = store.getState();
    const view = (whole ? fittedViewport : openingViewport)(positions ?? state.nodes.map((n) => n.position), state);
    if (view) void flow.setViewport(view);
  }, [store, flow]);
}
