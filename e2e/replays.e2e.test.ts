/**
 * The replays page in real Chromium: reached from the navigation, it lists replays newest first with their flow
 * by name, revision, mode, state, diff counts; a running one is cancelled from the list; a finished one opens on
 * its page, which draws the flow with each node's counts, names nodes, and puts a changed output beside its
 * original with whole, copyable ids.
 */
import { expect, it } from 'vitest';
import { api, appInBrowser, describeE2e, eventually, type OpenedPage } from './support.js';

const flow = {
  name: 'cold room',
  nodes: [
    { id: 'in', type: 'http', name: 'Readings', position: { x: 0, y: 0 }, config: { types: ['reading.*'] } },
    { id: 'conv', type: 'transform', name: 'To celsius', position: { x: 260, y: 0 }, config: { expression: "{'celsius': data.t}", type: 'reading.converted' } },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'conv' }],
};

describeE2e('the replays page in the browser', () => {
  const suite = appInBrowser();
  let opened: OpenedPage | undefined;

  it('lists replays, cancels a running one from the list, and opens a finished one on its page', async () => {
    const created = await api<{ id: string }>(suite.app, '/api/flows', { method: 'POST', body: JSON.stringify(flow) });
    const flowId = created.body.id;
    expect((await api(suite.app, `/api/flows/${flowId}/deploy`, { method: 'POST' })).status).toBe(200);
    // Ten readings a second apart, converted by revision 1 as they arrive.
    const t0 = Date.now() - 60_000;
    const readings = Array.from({ length: 10 }, (_, i) => ({ specversion: '1.0', id: `r-${i}`, source: 'e2e', type: 'reading.recorded', time: new Date(t0 + i * 1000).toISOString(), data: { t: 20 + i } }));
    expect((await api(suite.app, '/api/events', { method: 'POST', body: JSON.stringify(readings), headers: { 'content-type': 'application/cloudevents-batch+json' } })).status).toBe(202);
    await eventually(async () => (await api<{ events: unknown[] }>(suite.app, '/api/events?type=reading.converted')).body.events.length === 10, 'the originals converted');

    // Revision 2 converts differently: replayed through it, every output changes.
    const current = await api<Record<string, unknown> & { nodes: { config: Record<string, unknown> }[] }>(suite.app, `/api/flows/${flowId}`);
    current.body.nodes[1]!.config.expression = "{'celsius': data.t, 'kelvin': data.t + 273}";
    expect((await api(suite.app, `/api/flows/${flowId}`, { method: 'PUT', body: JSON.stringify(current.body), headers: { 'if-match': '"1"' } })).status).toBe(200);
    const range = { from: new Date(t0).toISOString(), to: new Date(t0 + 10_000).toISOString() };
    const done = await api<{ id: string }>(suite.app, '/api/replays', { method: 'POST', body: JSON.stringify({ flowId, revision: 2, ...range, speed: 'max' }) });
    await eventually(async () => (await api<{ state: string }>(suite.app, `/api/replays/${done.body.id}`)).body.state === 'done', 'the fast replay done');
    // At the readings' own pace, this one runs for ten seconds.
    const slow = await api<{ id: string }>(suite.app, '/api/replays', { method: 'POST', body: JSON.stringify({ flowId, ...range, speed: 1 }) });
    expect(slow.status).toBe(202);

    opened = await suite.open(suite.app.url);
    const { page } = opened;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Replays' }).click();
    const rows = page.locator('.replays-table tbody tr');
    await eventually(async () => (await rows.count()) === 2, 'both replays listed');
    // Newest first: the slow one, still running, then the finished one.
    expect(await rows.nth(0).getAttribute('data-replay')).toBe(slow.body.id);
    expect(await rows.nth(1).getAttribute('data-replay')).toBe(done.body.id);
    const finished = rows.nth(1);
    const text = await finished.innerText();
    expect(text).toContain('cold room');
    expect(text).toContain('revision 2');
    expect(text).toContain('dry-run');
    expect(text).toContain('Done');
    expect(await finished.locator('.diff-counts').getAttribute('aria-label')).toBe('identical 0, changed 10, missing 0, extra 0');

    await rows.nth(0).getByRole('button', { name: 'Cancel' }).click();
    await eventually(async () => (await rows.nth(0).getAttribute('data-state')) === 'cancelled', 'the running replay cancelled from the list');
    expect((await api<{ state: string }>(suite.app, `/api/replays/${slow.body.id}`)).body.state).toBe('cancelled');

    await finished.getByRole('link', { name: /cold room/ }).click();
    await eventually(() => page.url().endsWith(`/replays/${done.body.id}`), 'the replay page opened');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Replay of cold room revision 2');
    // The flow drawn, each node with its counts on its card.
    const tally = page.getByTestId('tally-conv');
    await tally.waitFor();
    expect(await tally.getAttribute('aria-label')).toBe('identical 0, changed 10, missing 0, extra 0');
    // Changes name their node, and show whole ids with a copy button.
    const change = page.locator('.changes-table tbody tr[data-change]').first();
    expect(await change.getByRole('link', { name: 'To celsius' }).count()).toBe(1);
    expect(await change.getByRole('button', { name: /^Copy input event id / }).count()).toBe(1);
    await change.getByRole('button', { name: 'Compare' }).click();
    const compare = page.getByTestId('event-compare');
    await compare.getByRole('group', { name: 'Original' }).locator('.json-node, .json-leaf').first().waitFor();
    await compare.getByRole('group', { name: 'Replayed' }).getByText('kelvin').waitFor();
    expect(await compare.getByRole('group', { name: 'Original' }).getByText('kelvin').count()).toBe(0);
    expect(await compare.innerText()).toContain('data.kelvin');
    const originalId = (await compare.getByRole('group', { name: 'Original' }).locator('code').first().innerText()).trim();
    await compare.getByRole('button', { name: `Copy original event id ${originalId}` }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(originalId);
    expect(opened.errors).toEqual([]);
  });
});
