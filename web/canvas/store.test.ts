import { describe, expect, it } from 'vitest';
import type { Flow } from '../../shared/flow.js';
import { createEditorStore, draftOf } from './store.js';

const flow = (nodes: Flow['nodes'] = [], edges: Flow['edges'] = []): Flow => ({ id: 'f-1', name: 'cold chain', description: '', revision: 3, nodes, edges });

function pipeline() {
  const store = createEditorStore();
  store.getState().load(flow());
  const sim = store.getState().addNode('simulator', { x: 0, y: 0 }) as string;
  const filter = store.getState().addNode('filter', { x: 200, y: 0 }) as string;
  const debug = store.getState().addNode('debug', { x: 400, y: 0 }) as string;
  store.getState().connect({ source: sim, sourcePort: 'out', target: filter, targetPort: 'in' });
  store.getState().connect({ source: filter, sourcePort: 'out', target: debug, targetPort: 'in' });
  return { store, sim, filter, debug };
}

describe('editor store', () => {
  it('fills a new node config with the defaults of its type', () => {
    const store = createEditorStore();
    store.getState().load(flow());
    const id = store.getState().addNode('simulator', { x: 10.4, y: 20.6 }) as string;
    const node = store.getState().nodes.find((n) => n.id === id);
    expect(node?.config).toMatchObject({ devices: 8, intervalMs: 500, type: 'reading.recorded', model: { base: 4 } });
    expect(node?.position).toEqual({ x: 10, y: 21 });
    expect(store.getState().selectedNodes).toEqual([id]);
  });

  it('undoes and redoes every edit step by step', () => {
    const { store, filter } = pipeline();
    expect(store.getState().nodes).toHaveLength(3);
    expect(store.getState().edges).toHaveLength(2);
    store.getState().updateNode(filter, { config: { expression: 'data.t > 8' } });

    store.getState().undo();
    expect(store.getState().nodes.find((n) => n.id === filter)?.config).toEqual({});
    store.getState().undo();
    expect(store.getState().edges).toHaveLength(1);
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().nodes).toHaveLength(2);

    store.getState().redo();
    store.getState().redo();
    store.getState().redo();
    store.getState().redo();
    expect(store.getState().nodes).toHaveLength(3);
    expect(store.getState().edges).toHaveLength(2);
    expect(store.getState().nodes.find((n) => n.id === filter)?.config).toEqual({ expression: 'data.t > 8' });
    expect(store.getState().future).toHaveLength(0);
  });

  it('drops the redo steps when a new edit follows an undo', () => {
    const { store } = pipeline();
    store.getState().undo();
    expect(store.getState().future).toHaveLength(1);
    store.getState().rename('renamed');
    expect(store.getState().future).toHaveLength(0);
    store.getState().redo();
    expect(store.getState().edges).toHaveLength(1);
  });

  it('records a move of several nodes as one undo step, with positions rounded to whole pixels', () => {
    const { store, sim, filter } = pipeline();
    const before = store.getState().nodes.find((n) => n.id === filter)?.position;
    const steps = store.getState().past.length;
    const version = store.getState().version;
    store.getState().moveNodes({ [sim]: { x: 30.4, y: 29.6 }, [filter]: { x: 300, y: 40 } });
    expect(store.getState().past.length).toBe(steps + 1);
    expect(store.getState().version).toBe(version + 1);
    expect(store.getState().nodes.find((n) => n.id === sim)?.position).toEqual({ x: 30, y: 30 });
    store.getState().undo();
    expect(store.getState().nodes.find((n) => n.id === sim)?.position).toEqual({ x: 0, y: 0 });
    expect(store.getState().nodes.find((n) => n.id === filter)?.position).toEqual(before);
  });

  it('deletes selected nodes with their wires, and undo brings both back', () => {
    const { store, filter } = pipeline();
    store.getState().select([filter]);
    store.getState().deleteSelection();
    expect(store.getState().nodes.map((n) => n.id)).not.toContain(filter);
    expect(store.getState().edges).toHaveLength(0);
    store.getState().undo();
    expect(store.getState().edges).toHaveLength(2);
  });

  it('refuses a wire into a source and says why, leaving history untouched', () => {
    const { store, sim, debug } = pipeline();
    const steps = store.getState().past.length;
    const result = store.getState().connect({ source: debug, sourcePort: 'out', target: sim, targetPort: 'in' });
    expect(result.ok).toBe(false);
    expect(store.getState().past.length).toBe(steps);
    expect(store.getState().edges).toHaveLength(2);
  });

  it('pastes copied nodes with fresh ids and their inner wires, shifted', () => {
    const { store, sim, filter } = pipeline();
    store.getState().select([sim, filter]);
    const payload = store.getState().copy();
    expect(payload?.nodes).toHaveLength(2);
    expect(payload?.edges).toHaveLength(1);
    const pasted = store.getState().paste(payload!, { x: 50, y: 50 });
    expect(pasted).toHaveLength(2);
    expect(new Set(store.getState().nodes.map((n) => n.id)).size).toBe(5);
    const copyOfSim = store.getState().nodes.find((n) => n.id === pasted[0]);
    expect(copyOfSim?.position).toEqual({ x: 50, y: 50 });
    const newWire = store.getState().edges.at(-1);
    expect(newWire).toMatchObject({ source: pasted[0], target: pasted[1] });
    expect(store.getState().selectedNodes).toEqual(pasted);
    store.getState().undo();
    expect(store.getState().nodes).toHaveLength(3);
  });

  it('pastes into another flow, keeping only wires whose ends were copied', () => {
    const { store, filter, debug } = pipeline();
    store.getState().select([filter]);
    const payload = store.getState().copy()!;
    const other = createEditorStore();
    other.getState().load({ ...flow([{ id: 'n1', type: 'timer', name: 'tick', process: 'main', position: { x: 0, y: 0 }, config: {} }]), id: 'f-2' });
    const [id] = other.getState().paste(payload);
    expect(id).toBe('n2');
    expect(other.getState().edges).toHaveLength(0);
    expect(other.getState().nodes.find((n) => n.id === 'n2')?.type).toBe('filter');
    expect(debug).toBeDefined();
  });

  it('cut removes the nodes and hands back what was cut', () => {
    const { store, debug } = pipeline();
    store.getState().select([debug]);
    const payload = store.getState().cut();
    expect(payload?.nodes.map((n) => n.type)).toEqual(['debug']);
    expect(store.getState().nodes).toHaveLength(2);
  });

  it('is clean after load and dirty after an edit, until saved', () => {
    const store = createEditorStore();
    store.getState().load(flow());
    expect(store.getState().dirty).toBe(false);
    store.getState().addNode('timer', { x: 0, y: 0 });
    expect(store.getState().dirty).toBe(true);
    store.getState().markSaved({ ...flow(), revision: 4 });
    expect(store.getState().dirty).toBe(false);
    expect(store.getState().baseRevision).toBe(4);
  });

  it('counts a field whose text does not parse as an unsaved change, until fixed, its node deleted or the flow loaded', () => {
    const { store, sim, filter } = pipeline();
    store.getState().markSaved({ ...flow(), revision: 4 });
    store.getState().markInvalid(filter, 'initialState', { text: '{', message: 'Not valid JSON: x' });
    expect(store.getState().dirty).toBe(true);
    expect(Object.values(store.getState().invalid)).toEqual([{ nodeId: filter, path: 'initialState', text: '{', message: 'Not valid JSON: x' }]);
    store.getState().markInvalid(filter, 'initialState', null);
    expect(store.getState().invalid).toEqual({});
    store.getState().markInvalid(filter, 'initialState', { text: '{', message: 'Not valid JSON: x' });
    const untouched = store.getState().invalid;
    store.getState().rename('other');
    expect(store.getState().invalid).toBe(untouched);
    store.getState().select([filter]);
    store.getState().deleteSelection();
    expect(store.getState().invalid).toEqual({});
    store.getState().markInvalid(sim, 'data', { text: '[', message: 'Not valid JSON: y' });
    store.getState().load(flow());
    expect(store.getState().invalid).toEqual({});
  });

  it('edits the partition key as an undoable step; blank removes it, and the draft carries it only when set', () => {
    const store = createEditorStore();
    store.getState().load({ ...flow(), partitionKey: 'source' });
    expect(draftOf(store.getState()).partitionKey).toBe('source');
    store.getState().setPartitionKey('data.site');
    expect(store.getState()).toMatchObject({ partitionKey: 'data.site', dirty: true });
    store.getState().setPartitionKey('  ');
    expect(draftOf(store.getState())).not.toHaveProperty('partitionKey');
    store.getState().undo();
    expect(store.getState().partitionKey).toBe('data.site');
    store.getState().undo();
    expect(store.getState().partitionKey).toBe('source');
    store.getState().load(flow());
    expect(store.getState().partitionKey).toBeUndefined();
  });
});
