/** The node under the pointer on the editor's canvas, for the views that follow it (the last-events view). */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export const hoveredStore = createStore<{ nodeId: string | null }>()(() => ({ nodeId: null }));

export const setHovered = (nodeId: string | null): void => hoveredStore.setState({ nodeId });

export const useHovered = (): string | null => useStore(hoveredStore, (s) => s.nodeId);
