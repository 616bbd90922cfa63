/** A replay's page in real Chromium: a running replay is cancelled from its page, which then shows it cancelled. */
import { expect, it } from 'vitest';
import { api, appInBrowser, describeE2e, eventually, type OpenedPage } from './support.js';

describeE2e('a replay in the browser', () => {
  const suite = appInBrowser();
  let opened: OpenedPage | undefined;

  it('cancels a running replay with its Cancel button and shows it cancelled, with the diff of what it handled', async () => {
    const flow = await api<{ id: string }>(suite.app, '/api/flows', {
      method: 'POST',
      body: JSON.stringify({
        name: 'cancel me',
        nodes: [
          { id: 'in', type: 'http', config: { types: ['reading.slow'] } },
          { id: 'conv', type: 'transform', config: { expression: "{'celsius': data.t}", type: 'reading.converted' } },
        ],
        edges: [{ id: 'e1', source: 'in', target: 'conv' }],
      }),
    });
    // Twenty readings a second apart: replayed at ×1, the replay runs for twenty seconds.
    const t0 = Date.now() - 60_000;
    const readings = Array.from({ length: 20 }, (_, i) => ({
      specversion: '1.0',
      id: `slow-${i}`,
      source: 'e2e',
      type: 'reading.slow',
      time: new Date(t0 + i * 1000).toISOString(),
      data: { t: 20 + i },
    }));
    const published = await api(suite.app, '/api/events', { method: 'POST', body: JSON.stringify(readings), headers: { 'content-type': 'application/cloudevents-batch+json' } });
    expect(published.status).toBe(202);
    const started = await api<{ id: string }>(suite.app, '/api/replays', {
      method: 'POST',
      body: JSON.stringify({ flowId: flow.body.id, from: new Date(t0).toISOString(), to: new Date(t0 + 20_000).toISOString(), mode: 'dry-run', speed: 1 }),
    });
    expect(started.status).toBe(202);

    opened = await suite.open(`${suite.app.url}/replays/${started.body.id}`);
    const { page } = opened;
    const status = page.getByRole('status');
    await eventually(async () => (await status.getAttribute('data-state')) === 'running', 'the replay running on its page');
    await page.getByRole('button', { name: 'Cancel replay' }).click();
    await eventually(async () => (await status.getAttribute('data-state')) === 'cancelled', 'the replay cancelled on its page');
    expect(await status.textContent()).toMatch(/^Cancelled — \d+ of 20 inputs/);
    expect(await page.getByRole('button', { name: 'Cancel replay' }).count()).toBe(0);
    expect(await page.getByTestId('replay-partial').textContent()).toMatch(/the diff covers the \d+ inputs handled before it stopped/);
    expect(await page.getByTestId('diff-summary').count()).toBe(1);
    const saved = await api<{ state: string; partial: boolean }>(suite.app, `/api/replays/${started.body.id}`);
    expect(saved.body).toMatchObject({ state: 'cancelled', partial: true });
    expect(opened.errors).toEqual([]);
  });
});
