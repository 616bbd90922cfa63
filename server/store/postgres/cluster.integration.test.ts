import { afterAll, describe, expect, it } from 'vitest';
import { draft } from '../testing/fixtures.js';
import { isStoreError, type EventStore } from '../types.js';
import { fencedStore, isClusterStore, type ClusterStore } from '../fenced-store.js';
import { openPostgresStore } from './index.js';
import { TEST_DATABASE_URL, TestSchemas, databaseAvailable } from './testing/database.js';

const available = await databaseAvailable();
const schemas = new TestSchemas();
const opened: EventStore[] = [];

async function storeOn(schema: string): Promise<ClusterStore> {
  const store = await openPostgresStore(TEST_DATABASE_URL, { schema, poolSize: 3 });
  opened.push(store);
  if (!isClusterStore(store)) throw new Error('the PostgreSQL store has no cluster repository');
  return store;
}

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close().catch(() => undefined)));
  if (available) await schemas.dropAll();
});

describe.skipIf(!available)('PostgreSQL cluster state', () => {
  it('names the cluster once: every store on the database gets the same name, another schema another', async () => {
    const schema = schemas.next('name');
    const [a, b] = [await storeOn(schema), await storeOn(schema)];
    const [nameA, nameB] = await Promise.all([a.cluster.name(), b.cluster.name()]);
    expect(nameA).toMatch(/^causeway-[0-9a-f]{10}$/);
    expect(nameB).toBe(nameA);
    expect(await (await storeOn(schemas.next('other'))).cluster.name()).not.toBe(nameA);
  });

  it('refuses a second process alone, a member beside a process alone, and two members of one name', async () => {
    const schema = schemas.next('claim');
    const alone = await storeOn(schema);
    await alone.cluster.claim({ mode: 'alone' });
    const second = await storeOn(schema);
    await expect(second.cluster.claim({ mode: 'alone' })).rejects.toThrow(/another Causeway process is using this PostgreSQL database.*NATS_URL/);
    await expect(second.cluster.claim({ mode: 'member', name: 'r1' })).rejects.toSatisfy((e) => isStoreError(e, 'store_in_use'));
    await alone.close();
    // The claim goes with its process: once closed, members may join, each name once.
    await second.cluster.claim({ mode: 'member', name: 'r1' });
    const third = await storeOn(schema);
    await expect(third.cluster.claim({ mode: 'member', name: 'r1' })).rejects.toThrow(/another replica named r1/);
    await third.cluster.claim({ mode: 'member', name: 'r2' });
    await expect((await storeOn(schema)).cluster.claim({ mode: 'alone' })).rejects.toSatisfy((e) => isStoreError(e, 'store_in_use'));
  });

  it('lists members with their last heartbeat, alive only within the lease time', async () => {
    const store = await storeOn(schemas.next('members'));
    await store.cluster.heartbeat('r1', true);
    await store.cluster.heartbeat('r2', true);
    const fresh = await store.cluster.members(60_000);
    expect(fresh.map((m) => [m.name, m.alive])).toEqual([['r1', true], ['r2', true]]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await store.cluster.heartbeat('r2', false);
    const later = await store.cluster.members(20);
    expect(later.map((m) => [m.name, m.alive])).toEqual([['r1', false], ['r2', true]]);
    expect(Date.parse(later[1]!.lastSeen)).toBeGreaterThan(Date.parse(fresh[1]!.lastSeen));
    expect(later[1]!.startedAt).toBe(fresh[1]!.startedAt);
  });

  it('leases a partition to one owner at a time; a take-over after expiry raises the epoch', async () => {
    const store = await storeOn(schemas.next('leases'));
    const first = await store.cluster.acquire('f1', 0, 'r1', 150);
    expect(first).toEqual({ flowId: 'f1', partition: 0, owner: 'r1', epoch: 1 });
    expect(await store.cluster.acquire('f1', 0, 'r2', 150)).toBeNull();
    expect(await store.cluster.renew('r1', 150)).toEqual([first]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await store.cluster.renew('r1', 150)).toEqual([]); // expired: a renewal does not bring it back
    const second = await store.cluster.acquire('f1', 0, 'r2', 10_000);
    expect(second?.epoch).toBe(2);
    expect(await store.cluster.leases()).toEqual([{ flowId: 'f1', partition: 0, owner: 'r2', epoch: 2, held: true }]);
    await store.cluster.release(first!); // an old fence releases nothing
    expect((await store.cluster.leases())[0]?.owner).toBe('r2');
    await store.cluster.release(second!);
    expect(await store.cluster.leases()).toEqual([{ flowId: 'f1', partition: 0, owner: null, epoch: 2, held: false }]);
    expect((await store.cluster.acquire('f1', 0, 'r1', 10_000))?.epoch).toBe(3);
  });

  it('refuses checkpoints and snapshots under an old epoch, and keeps the new owner\'s', async () => {
    const store = await storeOn(schemas.next('fence'));
    const old = (await store.cluster.acquire('f1', 0, 'r1', 50))!;
    const oldRun = fencedStore(store, old);
    await oldRun.setCheckpoints({ 'f1:n1': 10 });
    await oldRun.saveSnapshot({ key: 'f1:a:k', state: { n: 1 }, position: 10 });
    await new Promise((resolve) => setTimeout(resolve, 80));
    const current = (await store.cluster.acquire('f1', 0, 'r2', 10_000))!;
    const newRun = fencedStore(store, current);
    await newRun.setCheckpoints({ 'f1:n1': 20 });
    await newRun.saveSnapshot({ key: 'f1:a:k', state: { n: 2 }, position: 20 });

    await expect(oldRun.setCheckpoints({ 'f1:n1': 15 })).rejects.toSatisfy((e) => isStoreError(e, 'fenced'));
    await expect(oldRun.saveSnapshot({ key: 'f1:a:k', state: { n: 9 }, position: 15 })).rejects.toSatisfy((e) => isStoreError(e, 'fenced'));
    await expect(oldRun.setCheckpoints({})).rejects.toSatisfy((e) => isStoreError(e, 'fenced'));
    expect(await store.getCheckpoint('f1:n1')).toBe(20);
    expect(await store.loadSnapshot('f1:a:k')).toEqual({ key: 'f1:a:k', state: { n: 2 }, position: 20 });
    // Everything else is the store itself.
    expect(await oldRun.head()).toBe(await store.head());
  });

  it('refuses appends under an old epoch whole, and lets the new owner and unfenced appends of the same moment through', async () => {
    const store = await storeOn(schemas.next('fenced-append'));
    const old = (await store.cluster.acquire('f1', 0, 'r1', 50))!;
    const oldRun = fencedStore(store, old);
    const [kept] = await oldRun.append([draft({ stream: 's' })]);
    expect(kept!.event.version).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const newRun = fencedStore(store, (await store.cluster.acquire('f1', 0, 'r2', 10_000))!);

    // One moment, so one group commit: the stale call fails alone and takes none of its events with it.
    const [stale, fresh, plain] = await Promise.allSettled([
      oldRun.append([draft({ id: 'stale-1', stream: 's' }), draft({ id: 'stale-2', stream: 't' })]),
      newRun.append([draft({ id: 'fresh', stream: 's' })]),
      store.append([draft({ id: 'plain', stream: 's' })]),
    ]);
    expect(stale.status === 'rejected' && isStoreError(stale.reason, 'fenced')).toBe(true);
    expect(fresh.status === 'fulfilled' && fresh.value[0]!.event.version).toBe(2);
    expect(plain.status === 'fulfilled' && plain.value[0]!.event.version).toBe(3);
    expect((await store.read({ limit: 100 })).map((e) => e.id)).toEqual([kept!.event.id, 'fresh', 'plain']);
    // A duplicate of what it stored before is refused too: a run that lost its lease learns it at once.
    await expect(oldRun.append([draft({ id: kept!.event.id, stream: 's' })])).rejects.toSatisfy((e) => isStoreError(e, 'fenced'));
  });

  it('makes a take-over wait for a fenced append in flight, so the append lands before the new epoch or not at all', async () => {
    const store = await storeOn(schemas.next('fence-race'));
    const old = (await store.cluster.acquire('f1', 0, 'r1', 10_000))!;
    const oldRun = fencedStore(store, old);
    for (let round = 0; round < 20; round++) {
      const appended = oldRun.append(Array.from({ length: 50 }, () => draft({ stream: `s${round}` }))).then(
        (results) => results.length,
        (error: unknown) => (isStoreError(error, 'fenced') ? 0 : Promise.reject(error)),
      );
      // A take-over by force, as after an expiry, racing the append; the new owner reads as soon as it holds the lease.
      await store.cluster.release(old);
      const stolen = await store.cluster.acquire('f1', 0, `thief-${round}`, 10_000);
      const seenByNewOwner = (await store.read({ stream: `s${round}`, limit: 100 })).length;
      const count = await appended;
      // What the old owner stored was committed before the new epoch began: nothing lands behind the new owner's back.
      expect(seenByNewOwner).toBe(count);
      expect(stolen).not.toBeNull();
      await store.cluster.release(stolen!);
      Object.assign(old, (await store.cluster.acquire('f1', 0, 'r1', 10_000))!);
    }
  });
});
