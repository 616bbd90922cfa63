/** Writes the editor's unsaved edits to IndexedDB shortly after each edit. */
import { useEffect } from 'react';
import { settingsOf } from '../../shared/flow.js';
import { editorStore, type EditorState } from '../canvas/store.js';
import { saveDraft } from './drafts.js';

/** Keeps a flow's unsaved edits as its draft now (when it has any): the editor is about to show another flow. */
export function keepDraft(s: Pick<EditorState, 'flowId' | 'baseRevision' | 'dirty' | 'name' | 'description' | 'partitionKey' | 'nodes' | 'edges'>): Promise<void> {
  if (!s.flowId || s.baseRevision === null || !s.dirty) return Promise.resolve();
  return saveDraft({ flowId: s.flowId, baseRevision: s.baseRevision, name: s.name, description: s.description, ...settingsOf(s), nodes: s.nodes, edges: s.edges });
}

export function useAutosave(enabled: boolean, delayMs = 250): void {
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = editorStore.subscribe((s, before) => {
      if (s.version === before.version || !s.dirty || !s.flowId || s.baseRevision === null) return;
      clearTimeout(timer);
      timer = setTimeout(() => void keepDraft(editorStore.getState()), delayMs);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [enabled, delayMs]);
}
