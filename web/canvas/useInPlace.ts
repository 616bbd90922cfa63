/**
 * A subflow opened for editing in place, on the canvas of the flow that uses it: the editor page holds the trail
 * (in-place.ts) and shows the flow at its end with the same editor as any flow; the editor's parts open a subflow
 * and go back through `useInPlace`. The flow left is kept whole in memory, and its unsaved edits also as its draft
 * (as autosave would have written them a moment later), so leaving the page meanwhile loses nothing either.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useReactFlow, type Viewport } from '@xyflow/react';
import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import { describeError } from '../api/client.js';
import { getFlow } from '../api/flows.js';
import { keys } from '../api/hooks.js';
import { keepDraft } from '../drafts/useAutosave.js';
import { backIn, onTrail, openedIn, trailOf, type Trail } from './in-place.js';
import { editorStore, snapshotOf } from './store.js';

export interface InPlace {
  trail: Trail;
  /** Said once by the flow returned to (a subflow's edits left unsaved); null otherwise. */
  notice: string | null;
  /** Opens a subflow in place of the flow shown; resolves to why it could not, or null once it is open. */
  open(subflowId: string, viewport: Viewport): Promise<string | null>;
  /** Back to the flow left at `depth` (0: the page's own flow), by default the one just left. */
  back(depth?: number): void;
}

const InPlaceContext = createContext<InPlace | null>(null);
export const InPlaceProvider = InPlaceContext.Provider;

/** The editor page's trail, starting at the page's own flow. */
export function useInPlaceTrail(flowId: string): InPlace {
  const client = useQueryClient();
  const [trail, setTrail] = useState(() => trailOf(flowId));
  const [notice, setNotice] = useState<string | null>(null);

  const open = useCallback(
    async (subflowId: string, viewport: Viewport) => {
      if (onTrail(trail, subflowId)) return 'it is already open, on the way here';
      try {
        // Its latest revision: the copy cached for the instance's panel may be older.
        await client.fetchQuery({ queryKey: keys.flow(subflowId), queryFn: () => getFlow(subflowId), staleTime: 0 });
      } catch (error) {
        return describeError(error);
      }
      const state = snapshotOf(editorStore.getState());
      void keepDraft(state);
      setNotice(null);
      setTrail((t) => openedIn(t, subflowId, state, viewport));
      return null;
    },
    [client, trail],
  );

  const back = useCallback(
    (depth?: number) => {
      const step = backIn(trail, depth);
      if (!step) return;
      const left = editorStore.getState();
      void keepDraft(left);
      setNotice(left.dirty ? `The unsaved changes to ${left.name || left.flowId} are kept as its draft: open it again to restore them.` : null);
      editorStore.setState(step.state);
      setTrail(step.trail);
    },
    [trail],
  );

  return useMemo(() => ({ trail, notice, open, back }), [trail, notice, open, back]);
}

const outside: InPlace = { trail: trailOf(''), notice: null, open: async () => 'no flow is open', back: () => undefined };

export const useInPlace = (): InPlace => useContext(InPlaceContext) ?? outside;

/** Opens a subflow in place from within the editor, keeping where the canvas looks now; says why when it cannot. */
export function useOpenSubflow(say: (text: string) => void): (subflowId: string) => void {
  const { open } = useInPlace();
  const rf = useReactFlow();
  return useCallback(
    (subflowId: string) =>
      void open(subflowId, rf.getViewport()).then((why) => {
        if (why) say(`Could not open the subflow ${subflowId}: ${why}`);
      }),
    [open, rf, say],
  );
}
