import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { expectStoreError, flowDraft } from '../fixtures.js';

export function describeFlows(ctx: SuiteContext): void {
  describe('flows', () => {
    it('creates a flow at revision 1 and gets it back', async () => {
      const flows = ctx.store().flows;
      const created = await flows.create({ ...flowDraft(), id: 'f-1' });
      expect(created).toEqual({ ...flowDraft(), id: 'f-1', revision: 1 });
      expect(await flows.get('f-1')).toEqual(created);
      expect(await flows.get('f-missing')).toBeNull();
    });

    it('refuses to create a flow whose id exists', async () => {
      const flows = ctx.store().flows;
      await flows.create({ ...flowDraft(), id: 'f-1' });
      await expectStoreError(flows.create({ ...flowDraft('again'), id: 'f-1' }), 'revision_conflict');
      expect((await flows.get('f-1'))!.name).toBe('Cold-chain alerts');
    });

    it('saves an update with the expected revision as the next revision', async () => {
      const flows = ctx.store().flows;
      await flows.create({ ...flowDraft(), id: 'f-1' });
      const updated = await flows.update('f-1', { ...flowDraft('Renamed'), nodes: [] , edges: [] }, 1, 'ada');
      expect(updated).toMatchObject({ id: 'f-1', revision: 2, name: 'Renamed', nodes: [] });
      expect(await flows.get('f-1')).toEqual(updated);
      expect((await flows.update('f-1', flowDraft('Third'), 2)).revision).toBe(3);
    });

    it('keeps a flow’s partition key in each revision that sets it, and none in one that does not', async () => {
      const flows = ctx.store().flows;
      const created = await flows.create({ ...flowDraft(), id: 'f-1', partitionKey: 'data.site' });
      expect(created.partitionKey).toBe('data.site');
      expect(await flows.get('f-1')).toEqual(created);
      await flows.update('f-1', { ...flowDraft(), partitionKey: ' $string(data.site) ' }, 1);
      await flows.update('f-1', flowDraft(), 2);
      expect((await flows.revision('f-1', 1))!.partitionKey).toBe('data.site');
      expect((await flows.revision('f-1', 2))!.partitionKey).toBe(' $string(data.site) ');
      const third = (await flows.get('f-1'))!;
      expect(third.revision).toBe(3);
      expect('partitionKey' in third).toBe(false);
    });

    it('rejects an update with a stale revision and keeps the latest one', async () => {
      const flows = ctx.store().flows;
      await flows.create({ ...flowDraft(), id: 'f-1' });
      await flows.update('f-1', flowDraft('Second'), 1);
      await expectStoreError(flows.update('f-1', flowDraft('Lost'), 1), 'revision_conflict');
      expect(await flows.get('f-1')).toMatchObject({ revision: 2, name: 'Second' });
    });

    it('rejects an update of a flow that does not exist', async () => {
      await expectStoreError(ctx.store().flows.update('f-missing', flowDraft(), 1), 'not_found');
    });

    it('lists revisions with their creation time and author, and gets any one of them', async () => {
      const flows = ctx.store().flows;
      const before = Date.now();
      await flows.create({ ...flowDraft('One'), id: 'f-1' }, 'ada');
      await flows.update('f-1', flowDraft('Two'), 1);
      const revisions = await flows.revisions('f-1');
      expect(revisions.map((r) => [r.revision, r.author])).toEqual([
        [1, 'ada'],
        [2, null],
      ]);
      for (const r of revisions) {
        expect(Date.parse(r.createdAt)).toBeGreaterThanOrEqual(before - 1000);
        expect(r.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      }
      expect(await flows.revision('f-1', 1)).toMatchObject({ id: 'f-1', revision: 1, name: 'One' });
      expect(await flows.revision('f-1', 2)).toMatchObject({ revision: 2, name: 'Two' });
      expect(await flows.revision('f-1', 3)).toBeNull();
      expect(await flows.revisions('f-missing')).toEqual([]);
    });

    it('does not let a caller change a saved revision by mutating what it passed or got', async () => {
      const flows = ctx.store().flows;
      const draft = { ...flowDraft(), id: 'f-1' };
      const created = await flows.create(draft);
      draft.nodes[0]!.name = 'changed';
      created.nodes[1]!.name = 'changed too';
      expect((await flows.get('f-1'))!.nodes.map((n) => n.name)).toEqual(['readings', 'debug']);
    });

    it('deletes a flow with its revisions and deployment', async () => {
      const flows = ctx.store().flows;
      await flows.create({ ...flowDraft(), id: 'f-1' });
      await flows.setDeployment('f-1', 1);
      expect(await flows.delete('f-1')).toBe(true);
      expect(await flows.get('f-1')).toBeNull();
      expect(await flows.revision('f-1', 1)).toBeNull();
      expect(await flows.list()).toEqual([]);
      expect(await flows.deployments()).toEqual([]);
      expect(await flows.delete('f-1')).toBe(false);
    });

    it('lists flows with their latest revision, deployed revision and status', async () => {
      const flows = ctx.store().flows;
      await flows.create({ ...flowDraft('Alpha'), id: 'f-a' });
      await flows.create({ ...flowDraft('Beta'), id: 'f-b' });
      await flows.update('f-a', flowDraft('Alpha 2'), 1);
      await flows.setDeployment('f-a', 1);
      const list = await flows.list();
      expect(list).toHaveLength(2);
      expect(list).toEqual(
        expect.arrayContaining([
          { id: 'f-a', name: 'Alpha 2', revision: 2, deployedRevision: 1, status: 'running' },
          { id: 'f-b', name: 'Beta', revision: 1, deployedRevision: null, status: 'stopped' },
        ]),
      );
    });

    it('records which revision runs, and clears it when stopped', async () => {
      const flows = ctx.store().flows;
      await flows.create({ ...flowDraft(), id: 'f-a' });
      await flows.create({ ...flowDraft(), id: 'f-b' });
      await flows.update('f-b', flowDraft(), 1);
      await flows.setDeployment('f-a', 1);
      await flows.setDeployment('f-b', 2);
      expect(await flows.deployments()).toEqual(
        expect.arrayContaining([
          { flowId: 'f-a', revision: 1 },
          { flowId: 'f-b', revision: 2 },
        ]),
      );
      await flows.setDeployment('f-a', null);
      expect(await flows.deployments()).toEqual([{ flowId: 'f-b', revision: 2 }]);
      expect((await flows.list()).find((f) => f.id === 'f-a')).toMatchObject({ deployedRevision: null, status: 'stopped' });
    });

    it('refuses to deploy a flow or revision that does not exist', async () => {
      const flows = ctx.store().flows;
      await expectStoreError(flows.setDeployment('f-missing', 1), 'not_found');
      await flows.create({ ...flowDraft(), id: 'f-1' });
      await expectStoreError(flows.setDeployment('f-1', 2), 'not_found');
    });
  });
}
