/**
 * The dead-letter view in real Chromium: a node's error count on the canvas opens its dead letters; the view links
 * each input to the timeline and each node to the editor; a dry-run re-drive through the fixed revision shows what
 * it would do, then the live one re-drives each letter.
 */
import { expect, it } from 'vitest';
import { api, appInBrowser, describeE2e, eventually, type OpenedPage } from './support.js';

const flow = (code: string) => ({
  name: 'fails on negatives',
  nodes: [
    { id: 'in', type: 'http', config: { types: ['reading.e2e'] }, position: { x: 0, y: 0 } },
    { id: 'fn', type: 'function', config: { code }, position: { x: 260, y: 0 } },
    { id: 'show', type: 'debug', config: {}, position: { x: 520, y: 0 } },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'fn' },
    { id: 'e2', source: 'fn', target: 'show' },
  ],
});

describeE2e('dead letters in the browser', () => {
  const suite = appInBrowser();
  let opened: OpenedPage | undefined;

  it("opens a node's dead letters from its error count, and re-drives them through the fixed revision: dry-run, then live", async () => {
    const created = await api<{ id: string }>(suite.app, '/api/flows', {
      method: 'POST',
      body: JSON.stringify(flow("if (event.data.t < 0) throw new Error('negative reading'); return { type: 'reading.ok', data: event.data };")),
    });
    const flowId = created.body.id;
    expect((await api(suite.app, `/api/flows/${flowId}/deploy`, { method: 'POST' })).status).toBe(200);

    opened = await suite.open(`${suite.app.url}/flows/${encodeURIComponent(flowId)}`);
    const { page } = opened;
    await page.getByTestId('node-fn').waitFor();
    const readings = [1, -2, 3, -4].map((t, i) => ({ specversion: '1.0', id: `dl-${i}`, source: 'e2e', type: 'reading.e2e', data: { t } }));
    const published = await api(suite.app, '/api/events', { method: 'POST', body: JSON.stringify(readings), headers: { 'content-type': 'application/cloudevents-batch+json' } });
    expect(published.status).toBe(202);
    // The source counts what entered by it; the function's two failures are a link to its dead letters.
    await eventually(async () => (await page.getByTestId('node-in').getAttribute('aria-label')) !== null && (await page.getByTestId('dead-letters-fn').count()) === 1, 'the error count');
    expect(await page.getByTestId('node-in').locator('.flow-node-live').getAttribute('aria-label')).toBe('in 4, out 4, errors 0');
    await page.getByTestId('dead-letters-fn').click();
    await eventually(() => page.url().endsWith(`/deadletters?flowId=${encodeURIComponent(flowId)}&nodeId=fn`), 'the dead-letter view');
    const rows = page.locator('tbody tr');
    await eventually(async () => (await rows.count()) === 2, 'two dead letters');
    expect(await rows.first().textContent()).toContain('negative reading');
    const inputLink = rows.first().getByRole('link', { name: 'reading.e2e' });
    expect(await inputLink.getAttribute('href')).toMatch(/^\/timeline\?event=/);
    expect(await rows.first().getByRole('link', { name: 'fn' }).getAttribute('href')).toBe(`/flows/${encodeURIComponent(flowId)}?node=fn`);

    const current = await api<{ revision: number }>(suite.app, `/api/flows/${flowId}`);
    const saved = await api(suite.app, `/api/flows/${flowId}`, {
      method: 'PUT',
      body: JSON.stringify(flow("return { type: 'reading.ok', data: { t: Math.abs(event.data.t) } };")),
      headers: { 'if-match': `"${current.body.revision}"` },
    });
    expect(saved.status).toBe(200);

    await page.getByRole('checkbox', { name: 'Select all' }).check();
    const live = page.getByRole('button', { name: 'Re-drive live' });
    expect(await live.isDisabled()).toBe(true);
    await page.getByRole('button', { name: /Dry-run re-drive/ }).click();
    const dry = page.getByTestId('redrive-dry-run');
    await dry.waitFor();
    expect(await dry.textContent()).toContain('2 of 2 would be re-driven');
    expect(await dry.textContent()).toContain('extra 2');
    expect(await page.getByTestId('deadletter-outcome').allTextContents()).toEqual(['would be re-driven (1 out)', 'would be re-driven (1 out)']);
    expect((await api<{ events: unknown[] }>(suite.app, `/api/events?flowId=${flowId}&type=reading.ok`)).body.events).toHaveLength(2);

    await live.click();
    await page.getByTestId('redrive-live').waitFor();
    expect(await page.getByTestId('redrive-live').textContent()).toContain('2 of 2 re-driven');
    expect(await page.getByTestId('deadletter-outcome').allTextContents()).toEqual(['re-driven (1 out)', 're-driven (1 out)']);
    expect((await api<{ events: unknown[] }>(suite.app, `/api/events?flowId=${flowId}&type=reading.ok`)).body.events).toHaveLength(4);
    const listed = await api<{ deadLetters: { outcome: { outcome: string } | null }[] }>(suite.app, `/api/deadletters?flowId=${flowId}`);
    expect(listed.body.deadLetters.map((l) => l.outcome?.outcome)).toEqual(['redriven', 'redriven']);
    expect(opened.errors).toEqual([]);
  });
});
