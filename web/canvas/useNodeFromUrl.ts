/**
 * The node a link names (`/flows/<id>?node=<nodeId>`) lands selected, centred, with its settings open. The
 * centring waits until the canvas has set its opening view (React Flow calls `onInit` a moment after its viewport
 * is ready), or the opening view would move the node away again. A node the flow does not hold is said so.
 */
import { useReactFlow } from '@xyflow/react';
import { useEffect } from 'react';
import { useLocation } from '../app/router.js';
import { NODE_HEIGHT, NODE_WIDTH } from './layout.js';
import { READABLE_ZOOM } from './opening-view.js';
import { editorStore } from './store.js';

/** Long enough for React Flow's `onInit` (a 1 ms timeout after the viewport is ready) to have run. */
const AFTER_OPENING_VIEW_MS = 50;

/** `enabled`: the flow shown is the one the link names, opened afresh (not a subflow in it, nor a flow returned to). */
export function useNodeFromUrl(say: (text: string) => void, enabled = true): void {
  const named = useLocation().search.get('node');
  const nodeId = enabled ? named : null;
  const flow = useReactFlow();
  const ready = flow.viewportInitialized;

  useEffect(() => {
    if (!nodeId) return;
    const node = editorStore.getState().nodes.find((n) => n.id === nodeId);
    if (!node) {
      say(`This flow has no node “${nodeId}” (it may have been removed or renamed since).`);
      return;
    }
    editorStore.getState().select([nodeId]);
    if (!ready) return;
    const timer = window.setTimeout(() => {
      const at = editorStore.getState().nodes.find((n) => n.id === nodeId)?.position ?? node.position;
      void flow.setCenter(at.x + NODE_WIDTH / 2, at.y + NODE_HEIGHT / 2, { zoom: Math.max(flow.getZoom(), READABLE_ZOOM * 2) });
    }, AFTER_OPENING_VIEW_MS);
    return () => window.clearTimeout(timer);
  }, [nodeId, ready, flow, say]);
}
