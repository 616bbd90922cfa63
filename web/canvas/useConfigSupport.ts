/**
 * What the selected node's config panel needs beyond its settings: the event fields its code fields complete
 * (from the recent events of the live debug feed that reached it), and the text of its fields that does not parse.
 */
import { useCallback, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { StoredEvent } from '../../shared/event.js';
import { fieldTreeOf, samplesFor, type FieldTree } from '../config/code/event-fields.js';
import type { InvalidText } from '../config/JsonInput.js';
import { editorStore, useEditor, type EditorState } from './store.js';

export interface ConfigSupport {
  fields(): FieldTree;
  invalid: Record<string, string>;
  onInvalid(path: string, text: InvalidText | null): void;
}

/** The texts that do not parse of one node, by field path. */
const invalidTextsOf = (s: EditorState, nodeId: string | undefined): Record<string, string> =>
  Object.fromEntries(Object.values(s.invalid).filter((f) => f.nodeId === nodeId).map((f) => [f.path, f.text]));

export function useConfigSupport(nodeId: string | undefined, recent: readonly { event: StoredEvent }[]): ConfigSupport {
  // Read when completion opens, so new debug events do not redraw the panel.
  const events = useRef(recent);
  events.current = recent;
  const fields = useCallback(() => {
    const samples = events.current.map((e) => e.event);
    return fieldTreeOf(nodeId === undefined ? samples : samplesFor(nodeId, editorStore.getState().edges, samples));
  }, [nodeId]);
  const invalid = useEditor(useShallow((s) => invalidTextsOf(s, nodeId)));
  const onInvalid = useCallback((path: string, text: InvalidText | null) => {
    if (nodeId !== undefined) editorStore.getState().markInvalid(nodeId, path, text);
  }, [nodeId]);
  return { fields, invalid, onInvalid };
}
