/**
 * Logs imported before imports had executions of their own went into the live namespace. Against a real server on
 * a SQLite file and on PostgreSQL, a store holding such imports (written as the importer of then wrote them) beside
 * live events: at start each source is copied into an import of its own, listed with `legacy: true`, one execution
 * per label, its causal answers within it; the live timeline no longer shows them; deleting it drops the copy, and
 * a restart does not bring it back.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../../shared/api/imports.js';
import type { EventDraft, StoredEvent } from '../../../shared/event.js';
import { parseShiViz, SHIVIZ_REGEX, shiVizDrafts } from '../../../shared/shiviz.js';
import { ImportCatalog } from '../../imports/catalog.js';
import { copyLegacyImports, legacyImportId } from '../../imports/legacy.js';
import { silentLogger } from '../../logger.js';
import { startCauseway, type Causeway } from '../../start.js';
import { openStore } from '../../store/index.js';
import { storeBackends } from '../../testing/store-backends.js';
import { client } from '../testing/client.js';

const DATA = '/work/shared/data/shiviz/';
const COMPARISON = readFileSync(`${DATA}multiple-comparison.log`, 'utf8');
const DELIMITER = '^=== (?<trace>.*) ===$';
const CHAT = 'alice {"alice":1}\nsent hello\nbob {"alice":1, "bob":1}\ngot hello\n';

const dir = mkdtempSync(join(tmpdir(), 'causeway-legacy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const [, postgres] = await storeBackends('legacy imports test');
const BACKENDS = [
  { name: 'SQLite', url: async () => `sqlite:${join(dir, 'legacy.db')}`, drop: async () => undefined, skip: false },
  postgres!,
];

/** The drafts the importer of then made of a log (the same function still makes them). */
function legacyDrafts(name: string, text: string, options: { regex?: string; delimiter?: string }): EventDraft[] {
  const parsed = parseShiViz(text, options);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return shiVizDrafts(parsed.log, { source: `shiviz://${name}`, start: new Date('2025-06-01T10:00:00Z') });
}

const liveEvent = (i: number) => ({
  specversion: '1.0',
  id: `live-${i}`,
  source: 'test://sensor',
  type: 'reading.recorded',
  data: { i },
});

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe.each(BACKENDS)('imports made before executions, on $name', ({ url, drop, skip }) => {
  let app: Causeway | undefined;
  afterAll(async () => {
    await app?.close();
    if (!skip) await drop();
  });
  const start = async (storeUrl: string) =>
    startCauseway({ config: { port: 0, host: '127.0.0.1', store: { url: storeUrl } }, env: {}, demo: false, buildWeb: false, logger: silentLogger() });

  it.skipIf(skip)('copies each into an import of its own, hides it from the live timeline, and deletes it for good', { timeout: 60_000 }, async () => {
    const storeUrl = await url();
    const comparison = legacyDrafts('cmp.log', COMPARISON, { regex: SHIVIZ_REGEX, delimiter: DELIMITER });
    const chat = legacyDrafts('chat.log', CHAT, {});
    const seeded = await openStore(storeUrl);
    try {
      // As the importer of then stored them: among the live events, beside live events of flows.
      for (let at = 0; at < comparison.length; at += 1000) await seeded.append(comparison.slice(at, at + 1000));
      await seeded.append(chat);
    } finally {
      await seeded.close();
    }
    app = await start(storeUrl);
    const api = client(app.url);
    expect((await api.post('/api/events', [liveEvent(1), liveEvent(2)], { 'content-type': 'application/cloudevents-batch+json' })).status).toBe(202);

    // Listed, each source as an import of its own, one execution per label.
    let imports: ImportSummary[] = [];
    for (let tries = 0; tries < 100 && imports.length < 2; tries++) {
      imports = (await api.get('/api/imports')).json.imports as ImportSummary[];
      if (imports.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    const cmp = imports.find((i) => i.source === 'shiviz://cmp.log')!;
    expect(cmp).toMatchObject({ id: legacyImportId('shiviz://cmp.log'), name: 'cmp.log', legacy: true, events: comparison.length, importedAt: comparison[0]!.time });
    const labels = [...new Set(comparison.map((d) => (d.data as { execution: string }).execution))];
    expect(cmp.executions.map((e) => e.label)).toEqual(labels);
    expect(imports.find((i) => i.source === 'shiviz://chat.log')).toMatchObject({ name: 'chat.log', legacy: true, events: 2, executions: [{ label: '', events: 2 }] });

    // Each execution holds its events alone, and answers causality within itself.
    const first = cmp.executions[0]!;
    const events = (await api.get(`/api/events?${q({ execution: first.id, limit: '1000' })}`)).json.events as StoredEvent[];
    expect(events.map((e) => e.id).sort()).toEqual(comparison.filter((d) => (d.data as { execution: string }).execution === first.label).map((d) => d.id).sort());
    const last = events[events.length - 1]!;
    const causality = (await api.get(`/api/events/${encodeURIComponent(last.id)}/causality?${q({ execution: first.id })}`)).json;
    expect(causality.pastCount + causality.futureCount + causality.concurrent).toBe(first.events - 1);

    // The live timeline shows the live events, and none of the imported ones.
    const live = (await api.get('/api/timeline/events?limit=5000')).json;
    expect(live.id).toEqual(['live-1', 'live-2']);

    // Deleted, it is gone with its copy, and a restart does not copy it again.
    expect((await api.del(`/api/imports/${cmp.id}`)).status).toBe(204);
    expect((await api.get(`/api/events?${q({ execution: first.id })}`)).json.events).toEqual([]);
    await app.close();
    app = await start(storeUrl);
    expect((await client(app.url).get('/api/timeline/events?limit=5000')).json.id).toEqual(['live-1', 'live-2']);
    await app.close();
    app = undefined;
    // What a start runs finds nothing more to copy: the deleted import stays deleted.
    const reopened = await openStore(storeUrl);
    try {
      const catalog = new ImportCatalog(reopened);
      expect(await copyLegacyImports(reopened, catalog)).toEqual([]);
      expect((await catalog.list()).map((i) => i.name)).toEqual(['chat.log']);
    } finally {
      await reopened.close();
    }
  });
});
