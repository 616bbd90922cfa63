import { describe, expect, it } from 'vitest';
import { derivedEventId, newEventId } from './ids.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('event ids', () => {
  it('new ids are UUIDv7, unique, and sort by creation time', () => {
    const a = newEventId(1_700_000_000_000);
    const b = newEventId(1_700_000_000_001);
    expect(a).toMatch(uuid);
    expect(a[14]).toBe('7');
    expect(a < b).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newEventId())).size).toBe(1000);
  });

  it('derived ids are deterministic in flow, node, cause and output, and differ when any of them does', () => {
    const cause = { source: 'test://a', id: 'cause' };
    const id = derivedEventId('f1', 'n2', cause, 'e1:0');
    expect(id).toMatch(uuid);
    expect(derivedEventId('f1', 'n2', { ...cause }, 'e1:0')).toBe(id);
    expect(derivedEventId('f2', 'n2', cause, 'e1:0')).not.toBe(id);
    expect(derivedEventId('f1', 'n3', cause, 'e1:0')).not.toBe(id);
    expect(derivedEventId('f1', 'n2', { ...cause, id: 'other' }, 'e1:0')).not.toBe(id);
    expect(derivedEventId('f1', 'n2', cause, 'e1:1')).not.toBe(id);
  });

  it('derived ids differ for causes of two sources that share an id, however the two split source and id', () => {
    const id = derivedEventId('f1', 'n2', { source: 'test://a', id: 'cause' }, 'e1:0');
    expect(derivedEventId('f1', 'n2', { source: 'test://b', id: 'cause' }, 'e1:0')).not.toBe(id);
    expect(derivedEventId('f1', 'n2', { source: 'a\u0000b', id: 'c' }, 0)).not.toBe(derivedEventId('f1', 'n2', { source: 'a', id: 'b\u0000c' }, 0));
  });

  it('derived ids never change between versions: events stored by an earlier one are recognised on re-processing', () => {
    expect(derivedEventId('f1', 'n2', { source: 'test://a', id: 'cause' }, 'e1:0')).toBe('3dca292c-b6c7-8b92-b827-0d9ef7b576ad');
  });
});
