/**
 * The editor's state: the flow being edited (nodes, edges, name, settings), the selection, and an undo history in
 * which every edit is one step (a whole drag is one step, not one per frame).
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { settingsOf, type Flow, type FlowDraft, type FlowEdge, type FlowNode } from '../../shared/flow.js';
import { nodeType } from '../../shared/nodes/index.js';
import { defaultConfig } from '../config/defaults.js';
import { configJsonSchema } from '../config/json-schema.js';
import type { InvalidText } from '../config/JsonInput.js';
import { copyNodes, pasteNodes, type ClipboardPayload } from './clipboard.js';
import { nextId } from './ids.js';
import { checkWire, type Wire, type WireCheck } from './wiring.js';

export interface FlowContent {
  name: string;
  description: string;
  /** The flow's partition key (JSONata); undefined when the flow has none. */
  partitionKey: string | undefined;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export const HISTORY_LIMIT = 200;

export interface EditorState extends FlowContent {
  flowId: string | null;
  /** The server revision these edits build on. */
  baseRevision: number | null;
  selectedNodes: string[];
  selectedEdges: string[];
  past: FlowContent[];
  future: FlowContent[];
  /** Counts edits since load: drafts and validation watch it. */
  version: number;
  /** Edits not yet saved as a revision. */
  dirty: boolean;
  /**
   * Text typed into config fields that does not parse (JSON), by `invalidKey`: an edit that is not yet a value.
   * It counts as an unsaved change and keeps the flow from being saved until it is fixed or the flow reloaded.
   */
  invalid: Record<string, InvalidField>;

  load(flow: Flow | (FlowDraft & { id: string; revision: number }), options?: { dirty?: boolean }): void;
  addNode(type: string, position: { x: number; y: number }): string | null;
  updateNode(id: string, change: Partial<Pick<FlowNode, 'name' | 'process' | 'config'>>): void;
  /** Moves nodes as one undoable step (a whole drag is handed over once, when it ends). */
  moveNodes(positions: Record<string, { x: number; y: number }>): void;
  connect(wire: Wire): WireCheck;
  removeEdges(ids: readonly string[]): void;
  deleteSelection(): void;
  select(nodes: readonly string[], edges?: readonly string[]): void;
  selectAll(): void;
  copy(): ClipboardPayload | null;
  cut(): ClipboardPayload | null;
  paste(payload: ClipboardPayload, offset?: { x: number; y: number }): string[];
  rename(name: string): void;
  /** Sets the flow's partition key; a blank text removes it (the flow is then partitioned as by default). */
  setPartitionKey(text: string): void;
  /** Replaces the nodes and wires as one undoable step (a selection made into a subflow), selecting `select`. */
  replaceGraph(nodes: FlowNode[], edges: FlowEdge[], select: string[]): void;
  undo(): void;
  redo(): void;
  markSaved(flow: Flow): void;
  /** Records (or, with null, clears) a field's text that does not parse. */
  markInvalid(nodeId: string, path: string, text: InvalidText | null): void;
}

export interface InvalidField extends InvalidText {
  nodeId: string;
  /** The field's dotted path in the node's config. */
  path: string;
}

export const invalidKey = (nodeId: string, path: string): string => `${nodeId}\u0000${path}`;

const content = (s: FlowContent): FlowContent => ({ name: s.name, description: s.description, partitionKey: s.partitionKey, nodes: s.nodes, edges: s.edges });

const empty: FlowContent = { name: '', description: '', partitionKey: undefined, nodes: [], edges: [] };

export function createEditorStore(): StoreApi<EditorState> {
  return createStore<EditorState>()((set, get) => {
    /** Applies an edit as one undoable step. */
    const edit = (change: (s: EditorState) => Partial<EditorState>) =>
      set((s) => ({
        ...withInvalid(s, change(s)),
        past: [...s.past, content(s)].slice(-HISTORY_LIMIT),
        future: [],
        version: s.version + 1,
        dirty: true,
      }));

    return {
      ...empty,
      flowId: null,
      baseRevision: null,
      selectedNodes: [],
      selectedEdges: [],
      past: [],
      future: [],
      version: 0,
      dirty: false,
      invalid: {},

      load: (flow, options = {}) =>
        set({
          flowId: flow.id,
          baseRevision: flow.revision,
          name: flow.name,
          description: flow.description ?? '',
          partitionKey: flow.partitionKey,
          nodes: flow.nodes,
          edges: flow.edges,
          selectedNodes: [],
          selectedEdges: [],
          past: [],
          future: [],
          version: 0,
          dirty: options.dirty ?? false,
          invalid: {},
        }),

      addNode: (type, position) => {
        const def = nodeType(type);
        if (!def) return null;
        const id = nextId('n', get().nodes.map((n) => n.id));
        const sameType = get().nodes.filter((n) => n.type === type).length;
        const node: FlowNode = {
          id,
          type,
          name: sameType === 0 ? def.palette.label.toLowerCase() : `${def.palette.label.toLowerCase()} ${sameType + 1}`,
          process: 'main',
          position: { x: Math.round(position.x), y: Math.round(position.y) },
          config: defaultConfig(configJsonSchema(type)),
        };
        edit((s) => ({ nodes: [...s.nodes, node], selectedNodes: [id], selectedEdges: [] }));
        return id;
      },

      updateNode: (id, change) => {
        if (!get().nodes.some((n) => n.id === id)) return;
        // Wires stay as they are; one left on a port that no longer exists is reported by validation.
        edit((s) => ({ nodes: s.nodes.map((n) => (n.id === id ? { ...n, ...change } : n)) }));
      },

      moveNodes: (positions) =>
        edit((s) => ({
          nodes: s.nodes.map((n) => {
            const p = positions[n.id];
            return p ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
          }),
        })),

      connect: (wire) => {
        const check = checkWire(get().nodes, get().edges, wire);
        if (!check.ok) return check;
        const id = nextId('e', get().edges.map((e) => e.id));
        edit((s) => ({ edges: [...s.edges, { id, ...wire }] }));
        return check;
      },

      removeEdges: (ids) => {
        const gone = new Set(ids);
        if (!get().edges.some((e) => gone.has(e.id))) return;
        edit((s) => ({ edges: s.edges.filter((e) => !gone.has(e.id)), selectedEdges: s.selectedEdges.filter((id) => !gone.has(id)) }));
      },

      deleteSelection: () => {
        const nodes = new Set(get().selectedNodes);
        const edges = new Set(get().selectedEdges);
        if (nodes.size === 0 && edges.size === 0) return;
        edit((s) => ({
          nodes: s.nodes.filter((n) => !nodes.has(n.id)),
          edges: s.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
          selectedNodes: [],
          selectedEdges: [],
        }));
      },

      select: (nodes, edges = []) => set({ selectedNodes: [...nodes], selectedEdges: [...edges] }),

      selectAll: () => set((s) => ({ selectedNodes: s.nodes.map((n) => n.id), selectedEdges: s.edges.map((e) => e.id) })),

      copy: () => copyNodes(get().nodes, get().edges, get().selectedNodes),

      cut: () => {
        const payload = get().copy();
        if (payload) get().deleteSelection();
        return payload;
      },

      paste: (payload, offset) => {
        const pasted = pasteNodes(get(), payload, offset);
        if (pasted.nodes.length === 0) return [];
        edit((s) => ({
          nodes: [...s.nodes, ...pasted.nodes],
          edges: [...s.edges, ...pasted.edges],
          selectedNodes: pasted.nodes.map((n) => n.id),
          selectedEdges: [],
        }));
        return pasted.nodes.map((n) => n.id);
      },

      rename: (name) => {
        if (name === get().name) return;
        edit(() => ({ name }));
      },

      setPartitionKey: (text) => {
        const partitionKey = text.trim() === '' ? undefined : text;
        if (partitionKey === get().partitionKey) return;
        edit(() => ({ partitionKey }));
      },

      replaceGraph: (nodes, edges, select) => edit(() => ({ nodes, edges, selectedNodes: select, selectedEdges: [] })),

      undo: () =>
        set((s) => {
          const previous = s.past[s.past.length - 1];
          if (!previous) return {};
          return { ...withInvalid(s, previous), past: s.past.slice(0, -1), future: [content(s), ...s.future], version: s.version + 1, dirty: true, ...keepSelection(s, previous) };
        }),

      redo: () =>
        set((s) => {
          const next = s.future[0];
          if (!next) return {};
          return { ...withInvalid(s, next), past: [...s.past, content(s)], future: s.future.slice(1), version: s.version + 1, dirty: true, ...keepSelection(s, next) };
        }),

      markSaved: (flow) => set({ baseRevision: flow.revision, flowId: flow.id, dirty: false }),

      markInvalid: (nodeId, path, text) =>
        set((s) => {
          const key = invalidKey(nodeId, path);
          if (text === null) {
            if (!(key in s.invalid)) return {};
            const rest = { ...s.invalid };
            delete rest[key];
            return { invalid: rest };
          }
          if (s.invalid[key]?.text === text.text) return {};
          return { invalid: { ...s.invalid, [key]: { nodeId, path, ...text } }, dirty: true };
        }),
    };
  });
}

/** An edit with the invalid texts of nodes it removed dropped (the same object when there were none). */
function withInvalid<T extends Partial<FlowContent>>(s: EditorState, change: T): T & { invalid?: EditorState['invalid'] } {
  const entries = Object.entries(s.invalid);
  if (entries.length === 0 || !change.nodes) return change;
  const ids = new Set(change.nodes.map((n) => n.id));
  const kept = entries.filter(([, field]) => ids.has(field.nodeId));
  return kept.length === entries.length ? change : { ...change, invalid: Object.fromEntries(kept) };
}

/** After undo or redo, the selection keeps only what still exists. */
function keepSelection(s: EditorState, next: FlowContent): Pick<EditorState, 'selectedNodes' | 'selectedEdges'> {
  const nodes = new Set(next.nodes.map((n) => n.id));
  const edges = new Set(next.edges.map((e) => e.id));
  return { selectedNodes: s.selectedNodes.filter((id) => nodes.has(id)), selectedEdges: s.selectedEdges.filter((id) => edges.has(id)) };
}

/** The flow as the server takes it. */
export const draftOf = (s: Pick<EditorState, 'flowId' | 'name' | 'description' | 'partitionKey' | 'nodes' | 'edges'>): FlowDraft => ({
  ...(s.flowId ? { id: s.flowId } : {}),
  name: s.name,
  description: s.description,
  ...settingsOf(s),
  nodes: s.nodes,
  edges: s.edges,
});

/** Everything the editor holds of one flow but its actions: what a flow left for a subflow opened in place keeps. */
export type EditorSnapshot = Pick<
  EditorState,
  | 'flowId'
  | 'baseRevision'
  | 'name'
  | 'description'
  | 'partitionKey'
  | 'nodes'
  | 'edges'
  | 'selectedNodes'
  | 'selectedEdges'
  | 'past'
  | 'future'
  | 'version'
  | 'dirty'
  | 'invalid'
>;

export const snapshotOf = (s: EditorState): EditorSnapshot => ({
  flowId: s.flowId,
  baseRevision: s.baseRevision,
  name: s.name,
  description: s.description,
  // Set even when undefined: restoring a snapshot must clear the key of the flow shown meanwhile.
  partitionKey: s.partitionKey,
  nodes: s.nodes,
  edges: s.edges,
  selectedNodes: s.selectedNodes,
  selectedEdges: s.selectedEdges,
  past: s.past,
  future: s.future,
  version: s.version,
  dirty: s.dirty,
  invalid: s.invalid,
});

export const editorStore = createEditorStore();

export const useEditor = <T>(selector: (s: EditorState) => T): T => useStore(editorStore, selector);
