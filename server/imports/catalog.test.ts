import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../shared/api/imports.js';
import type { EventDraft } from '../../shared/event.js';
import { openMemoryStore } from '../store/index.js';
import { CATALOG_NAMESPACE, executionNamespace, ImportCatalog } from './catalog.js';

const summary = (id: string, name: string, executions = 1): ImportSummary => ({
  id,
  name,
  source: `shiviz://${name}`,
  importedAt: '2026-01-01T00:00:00.000Z',
  events: executions,
  executions: Array.from({ length: executions }, (_, i) => ({ id: `${id}.${i + 1}`, label: executions > 1 ? `run ${i + 1}` : '', events: 1, hosts: ['a'] })),
});

const event = (id: string): EventDraft => ({
  id,
  type: 'shiviz.event',
  source: 'shiviz://x',
  time: '2026-01-01T00:00:00.000Z',
  subject: null,
  datacontenttype: 'application/json',
  data: {},
  stream: 'import/a',
  process: 'a',
  vectorClock: { a: 1 },
  correlationId: id,
  causationId: null,
  flowId: null,
  nodeId: null,
  revision: null,
  metadata: {},
});

describe('the import catalog', () => {
  it('lists imports newest first, with their latest names, and finds the newest of a source', async () => {
    const store = openMemoryStore();
    const catalog = new ImportCatalog(store);
    await catalog.add(summary('imp-000000000001', 'a.log'));
    await catalog.add(summary('imp-000000000002', 'b.log'));
    await catalog.add(summary('imp-000000000003', 'a.log'));
    expect(await catalog.rename('imp-000000000001', 'first run')).toMatchObject({ id: 'imp-000000000001', name: 'first run', source: 'shiviz://a.log' });
    expect((await catalog.list()).map((i) => [i.id, i.name])).toEqual([
      ['imp-000000000003', 'a.log'],
      ['imp-000000000002', 'b.log'],
      ['imp-000000000001', 'first run'],
    ]);
    expect((await catalog.newestOf('shiviz://a.log'))?.id).toBe('imp-000000000003');
    expect(await catalog.newestOf('shiviz://c.log')).toBeNull();
    expect(await catalog.rename('imp-00000000000f', 'x')).toBeNull();
    // The catalog's own events stay out of the live events.
    expect(await store.read({})).toEqual([]);
    expect((await store.read({ namespace: CATALOG_NAMESPACE })).length).toBe(4);
  });

  it('deletes an import: unlisted, and the events of each of its executions dropped; others untouched', async () => {
    const store = openMemoryStore();
    const catalog = new ImportCatalog(store);
    await catalog.add(summary('imp-000000000001', 'two.log', 2));
    await catalog.add(summary('imp-000000000002', 'other.log'));
    for (const execution of ['imp-000000000001.1', 'imp-000000000001.2', 'imp-000000000002.1']) await store.append([event('e1')], { namespace: executionNamespace(execution) });
    expect(await catalog.delete('imp-000000000001')).toBe(true);
    expect(await catalog.delete('imp-000000000001')).toBe(false);
    expect((await catalog.list()).map((i) => i.id)).toEqual(['imp-000000000002']);
    expect(await store.read({ namespace: executionNamespace('imp-000000000001.1') })).toEqual([]);
    expect(await store.read({ namespace: executionNamespace('imp-000000000001.2') })).toEqual([]);
    expect(await store.read({ namespace: executionNamespace('imp-000000000002.1') })).toHaveLength(1);
  });
});
