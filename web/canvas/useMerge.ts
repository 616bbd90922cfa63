/**
 * The merge of the editor's changes with a newer revision: gathers the three sides (the revision the editor started
 * from, what it holds now, the newer revision), and saves the merged flow over the newer one. Another save in
 * between is not overwritten: the merge starts again over the newest revision.
 */
import { useState } from 'react';
import { settingsOf, type Flow } from '../../shared/flow.js';
import { ApiFailure, describeError } from '../api/client.js';
import { getFlow, getRevision, saveFlow } from '../api/flows.js';
import { useRefreshFlow } from '../api/hooks.js';
import type { MergeSide } from '../diff/merge.js';
import { discardDraft } from '../drafts/drafts.js';
import { editorStore } from './store.js';

export interface MergeSides {
  base: MergeSide;
  baseRevision: number;
  mine: MergeSide;
  theirs: Flow;
}

export interface Merging {
  sides: MergeSides | null;
  busy: boolean;
  error: string | null;
  open(theirs?: Flow): Promise<void>;
  save(merged: MergeSide, over: number): Promise<void>;
  close(): void;
}

const sideOf = (s: MergeSide): MergeSide => ({ name: s.name, description: s.description, ...settingsOf(s), nodes: s.nodes, edges: s.edges });

export function useMerge(flowId: string, onSaved: (flow: Flow) => void): Merging {
  const [sides, setSides] = useState<MergeSides | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const refresh = useRefreshFlow();

  const open = async (theirs?: Flow) => {
    const s = editorStore.getState();
    if (s.baseRevision === null) return;
    setError(null);
    try {
      const [base, latest] = await Promise.all([getRevision(flowId, s.baseRevision), theirs ? Promise.resolve(theirs) : getFlow(flowId)]);
      setSides({ base: sideOf(base), baseRevision: s.baseRevision, mine: sideOf(s), theirs: latest });
    } catch (e) {
      setError(`Could not open the merge: ${describeError(e)}`);
    }
  };

  const save = async (merged: MergeSide, over: number) => {
    setBusy(true);
    setError(null);
    try {
      const draft = { id: flowId, name: merged.name, description: merged.description, ...settingsOf(merged), nodes: [...merged.nodes], edges: [...merged.edges] };
      const flow = await saveFlow(flowId, draft, over);
      editorStore.getState().load(flow);
      await discardDraft(flowId);
      refresh(flowId);
      setSides(null);
      onSaved(flow);
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 412) {
        const latest = await getFlow(flowId);
        setSides((held) => (held ? { ...held, theirs: latest } : held));
        setError(`Revision ${latest.revision} was saved meanwhile: check the merge against it and save again.`);
      } else setError(`Could not save the merge: ${describeError(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return { sides, busy, error, open, save, close: () => setSides(null) };
}
