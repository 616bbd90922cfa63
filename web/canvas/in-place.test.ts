import { describe, expect, it } from 'vitest';
import type { Flow } from '../../shared/flow.js';
import { backIn, onTrail, openedIn, trailOf } from './in-place.js';
import { createEditorStore, snapshotOf } from './store.js';

const flow = (id: string, name: string): Flow => ({ id, name, description: '', revision: 2, nodes: [], edges: [] });

/** A parent flow with unsaved edits: two nodes (one selected), a rename, a field that does not parse, an undone step. */
function editedParent() {
  const store = createEditorStore();
  store.getState().load(flow('f-room', 'Cold room'));
  const first = store.getState().addNode('filter', { x: 0, y: 0 }) as string;
  store.getState().addNode('debug', { x: 240, y: 0 });
  store.getState().rename('Cold room, edited');
  store.getState().undo();
  store.getState().markInvalid(first, 'expression', { text: '{', message: 'not JSON' });
  store.getState().select([first]);
  return store;
}

describe('a subflow opened in place', () => {
  it('goes back to the flow it was opened from with every unsaved edit, the undo history, the selection and the view as left', () => {
    const store = editedParent();
    const before = snapshotOf(store.getState());
    const view = { x: -120, y: 40, zoom: 0.9 };

    const opened = openedIn(trailOf('f-room'), 'sf-tag', snapshotOf(store.getState()), view);
    expect(opened).toMatchObject({ shown: 'sf-tag', returned: null, parents: [{ flowId: 'f-room', name: 'Cold room' }] });
    // The subflow is edited in the same store.
    store.getState().load(flow('sf-tag', 'Subflow: Tag'));
    store.getState().addNode('transform', { x: 0, y: 0 });

    const back = backIn(opened);
    expect(back?.trail).toEqual({ parents: [], shown: 'f-room', returned: view });
    store.setState(back!.state);
    expect(snapshotOf(store.getState())).toEqual(before);
    // And it goes on as before: the undone rename can be redone, the last edit undone.
    store.getState().redo();
    expect(store.getState().name).toBe('Cold room, edited');
    expect(store.getState().dirty).toBe(true);
  });

  it('nests, goes back one flow at a time or straight to the first, and will not open a flow already on the way', () => {
    const store = createEditorStore();
    store.getState().load(flow('f-room', 'Cold room'));
    const room = snapshotOf(store.getState());
    const one = openedIn(trailOf('f-room'), 'sf-a', room, { x: 0, y: 0, zoom: 1 });
    store.getState().load(flow('sf-a', 'A'));
    const two = openedIn(one, 'sf-b', snapshotOf(store.getState()), { x: 5, y: 5, zoom: 1 });
    expect(two.parents.map((p) => p.name)).toEqual(['Cold room', 'A']);
    expect(['f-room', 'sf-a', 'sf-b', 'sf-c'].map((id) => onTrail(two, id))).toEqual([true, true, true, false]);

    expect(backIn(two)?.trail).toMatchObject({ shown: 'sf-a', parents: [{ flowId: 'f-room' }], returned: { x: 5, y: 5, zoom: 1 } });
    const first = backIn(two, 0);
    expect(first?.trail).toEqual({ parents: [], shown: 'f-room', returned: { x: 0, y: 0, zoom: 1 } });
    expect(first?.state).toBe(room);
    expect(backIn(trailOf('f-room'))).toBeNull();
  });
});
