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
    const id = derivedEventId('f1', 'n2', 'cause', 'e1:0');
    expect(id).toMatch(uuid);
    expect(derivedEventId('f1', 'n2', 'cause', 'e1:0')).toBe(id);
    expect(derivedEventId('f2', 'n2', 'cause', 'e1:0')).not.toBe(id);
    expect(derivedEventId('f1', 'n3', 'cause', 'e1:0')).not.toBe(id);
    expect(derivedEventId('f1', 'n2', 'other', 'e1:0')).not.toBe(id);
    expect(derivedEventId('f1', 'n2', 'cause', 'e1:1')).not.toBe(id);
  });

  it('derived ids never change between versions: events stored by an earlier one are recognised on re-processing', () => {
    expect(derivedEventId('f1', 'n2', 'cause', 'e1:0')).toBe('ea3065e3-0f3d-809d-87de-56f62d70b8e4');
  });
});
