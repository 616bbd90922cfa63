/** Writes the editor's unsaved edits to IndexedDB shortly after each edit. */
import { useEffect } from 'react';
import { editorStore } from '../canvas/store.js';
import { saveDraft } from './drafts.js';

export function useAutosave(enabled: boolean, delayMs = 250): void {
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = editorStore.subscribe((s, before) => {
      if (s.version === before.version || !s.dirty || !s.flowId || s.baseRevision === null) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const now = editorStore.getState();
        if (!now.flowId || now.baseRevision === null || !now.dirty) return;
        void saveDraft({ flowId: now.flowId, baseRevision: now.baseRevision, name: now.name, description: now.description, nodes: now.nodes, edges: now.edges });
      }, delayMs);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [enabled, delayMs]);
}
