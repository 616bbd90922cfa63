/**
 * The trail of a subflow opened in place: which flow the editor shows, and the flows left on the way to it, each kept
 * whole — its editor state (unsaved edits, invalid fields, undo and redo history, selection) and where its canvas
 * looked — so that going back shows it exactly as it was left. Pure: the page holds the trail, the editor's store
 * holds the flow shown.
 */
import type { Viewport } from '@xyflow/react';
import type { EditorSnapshot } from './store.js';

/** A flow left for a subflow opened in it. */
export interface ParentView {
  flowId: string;
  /** Its name as it was left (possibly renamed and not saved yet). */
  name: string;
  state: EditorSnapshot;
  viewport: Viewport;
}

export interface Trail {
  /** The flows left, outermost (the page's own flow) first. */
  parents: ParentView[];
  /** The flow the editor shows: the page's own, or the subflow last opened in it. */
  shown: string;
  /** Where the canvas looked in the flow just returned to; null when the flow shown was opened afresh. */
  returned: Viewport | null;
}

export const trailOf = (flowId: string): Trail => ({ parents: [], shown: flowId, returned: null });

/** Whether a flow is on the trail: open now, or left on the way (opening it again would go round in a circle). */
export const onTrail = (trail: Trail, flowId: string): boolean => trail.shown === flowId || trail.parents.some((p) => p.flowId === flowId);

/** The trail once `subflowId` is opened in place of the flow shown, whose state and view are kept to return to. */
export function openedIn(trail: Trail, subflowId: string, state: EditorSnapshot, viewport: Viewport): Trail {
  const left: ParentView = { flowId: trail.shown, name: state.name || trail.shown, state, viewport };
  return { parents: [...trail.parents, left], shown: subflowId, returned: null };
}

/**
 * Back to the flow left at `depth` (0: the page's own; default: the last one left), and the state to put back in the
 * editor; null when there is nothing to go back to.
 */
export function backIn(trail: Trail, depth = trail.parents.length - 1): { trail: Trail; state: EditorSnapshot } | null {
  const parent = trail.parents[depth];
  if (!parent) return null;
  return { trail: { parents: trail.parents.slice(0, depth), shown: parent.flowId, returned: parent.viewport }, state: parent.state };
}
