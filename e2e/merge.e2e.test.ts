/**
 * A stale editor in real Chromium: while it holds unsaved edits to two nodes, another client saves a newer
 * revision changing the same two nodes. The editor learns of it within seconds (without saving), opens the
 * three-way merge, takes one node from each side, and saves the merge as the next revision.
 */
import { expect, it } from 'vitest';
import type { Flow } from '../shared/flow.js';
import { api, appInBrowser, describeE2e, eventually, type OpenedPage } from './support.js';

const flow = {
  name: 'merge',
  nodes: [
    { id: 'in', type: 'http', name: 'Readings', position: { x: 0, y: 0 }, config: { types: ['reading.*'] } },
    { id: 'a', type: 'filter', name: 'Warm', position: { x: 240, y: 0 }, config: { expression: 'data.t > 1' } },
    { id: 'b', type: 'filter', name: 'Hot', position: { x: 480, y: 0 }, config: { expression: 'data.t > 2' } },
    { id: 'd', type: 'debug', name: 'Watch', position: { x: 720, y: 0 }, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'a' },
    { id: 'e2', source: 'a', target: 'b' },
    { id: 'e3', source: 'b', target: 'd' },
  ],
};

const expressionOf = (f: Flow, id: string) => f.nodes.find((n) => n.id === id)?.config.expression;

describeE2e('merging with a newer revision', () => {
  const suite = appInBrowser();
  let opened: OpenedPage | undefined;

  it('learns of a newer revision while editing and merges, taking one node from each side', async () => {
    const created = await api<Flow>(suite.app, '/api/flows', { method: 'POST', body: JSON.stringify(flow) });
    expect(created.status).toBe(201);
    const flowId = created.body.id;

    opened = await suite.open(`${suite.app.url}/flows/${flowId}`);
    const { page } = opened;
    await page.locator('.react-flow__node[data-id="a"]').waitFor();

    // Mine: both filters changed, not saved.
    await page.locator('[data-testid="node-a"]').click();
    await page.getByLabel(/Expression/).fill('data.t > 10');
    await page.locator('[data-testid="node-b"]').click();
    await page.getByLabel(/Expression/).fill('data.t > 20');
    await page.getByText('unsaved changes').waitFor();

    // Theirs: another client saves revision 2 changing the same two filters.
    const theirs = {
      ...flow,
      nodes: flow.nodes.map((n) => (n.id === 'a' ? { ...n, config: { expression: 'data.t > 100' } } : n.id === 'b' ? { ...n, config: { expression: 'data.t > 200' } } : n)),
    };
    const saved = await api<Flow>(suite.app, `/api/flows/${flowId}`, { method: 'PUT', body: JSON.stringify(theirs), headers: { 'if-match': '"1"' } });
    expect(saved.status).toBe(200);

    // The editor hears of it by itself, within seconds, and offers the merge.
    const banner = page.getByRole('alert', { name: 'Newer revision' });
    await banner.getByText('Revision 2 was saved elsewhere while you were editing.').waitFor({ timeout: 8000 });
    await banner.getByRole('button', { name: 'Merge…' }).click();

    // Both nodes are conflicts, shown field by field with base, mine and theirs.
    const merge = page.getByRole('region', { name: 'Merge with the newer revision' });
    await merge.getByText('2 conflicts').waitFor();
    const nodeB = merge.getByRole('region', { name: 'Node Hot' });
    await expect(nodeB.locator('tbody tr').first().innerText()).resolves.toMatch(/config\.expression\s+data\.t > 2\s+data\.t > 20\s+data\.t > 200/);

    // Mine for a (the default), theirs for b; saved over revision 2 as revision 3.
    await merge.getByRole('radio', { name: 'Node b: theirs' }).check();
    await merge.getByRole('button', { name: 'Save merge as revision 3' }).click();
    await page.getByText('Merged and saved as revision 3.').waitFor();
    await page.getByText('revision 3').first().waitFor();

    const latest = await api<Flow>(suite.app, `/api/flows/${flowId}`);
    expect(latest.body.revision).toBe(3);
    expect(expressionOf(latest.body, 'a')).toBe('data.t > 10');
    expect(expressionOf(latest.body, 'b')).toBe('data.t > 200');
    expect(latest.body.edges.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    // Nothing stale is left: no banner for a newer revision, and the edits are saved.
    await eventually(async () => (await page.getByRole('alert', { name: 'Newer revision' }).count()) === 0, 'no newer-revision banner');
    expect(await page.getByText('unsaved changes').count()).toBe(0);
  });
});
