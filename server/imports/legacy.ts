/**
 * Imports made before each import had executions of their own went into the live namespace, where their hosts share
 * lanes and clocks with the live events. Once per store, at start, `copyLegacyImports` searches the live events for
 * them (events the old importer wrote: type `shiviz.event`, a `shiviz://` source, metadata `import: shiviz`), copies
 * each source's events into an import of its own (one execution per `execution` label they carry), lists it with
 * `legacy: true`, and records how far it searched, so later starts search only what came after. The originals stay in the live
 * namespace, which is never deleted from (store/README.md); the live timeline leaves them out (`isLegacyImported`).
 *
 * The import ids are a hash of the source, so two replicas searching at once, or a search cut short by a crash and run
 * again, write the same namespaces and the copies are duplicates the store ignores.
 */
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ImportSummary } from '../../shared/api/imports.js';
import type { EventDraft, StoredEvent } from '../../shared/event.js';
import { LIVE, type EventStore } from '../store/index.js';
import { executionNamespace, type ImportCatalog } from './catalog.js';

/** Live events read per page: bounded, so the search never holds the event loop for long. */
const PAGE = 1000;

/** An event the importer wrote into the live namespace before imports had executions of their own. */
export const isLegacyImported = (e: Pick<StoredEvent, 'type' | 'source' | 'metadata'>): boolean =>
  e.type === 'shiviz.event' && e.source.startsWith('shiviz://') && e.metadata.import === 'shiviz';

/** The id of the import a legacy source is copied into: the same on every replica and every run. */
export const legacyImportId = (source: string): string => `imp-${createHash('sha256').update(source).digest('hex').slice(0, 12)}`;

const draftOf = (e: StoredEvent): EventDraft => ({
  id: e.id,
  type: e.type,
  source: e.source,
  time: e.time,
  subject: e.subject,
  datacontenttype: e.datacontenttype,
  data: e.data,
  stream: e.stream,
  process: e.process,
  vectorClock: e.vectorClock,
  correlationId: e.correlationId,
  causationId: e.causationId,
  flowId: e.flowId,
  nodeId: e.nodeId,
  revision: e.revision,
  metadata: e.metadata,
});

/** One legacy source as it is gathered: its executions by label, in order of first appearance. */
interface Gathered {
  summary: ImportSummary;
  executions: Map<string, { id: string; hosts: Set<string>; events: number }>;
}

const labelOf = (e: StoredEvent): string => {
  const label = (e.data as { execution?: unknown } | null)?.execution;
  return typeof label === 'string' ? label : '';
};

/**
 * Copies the legacy imports of the live events after the last search into imports of their own, lists them, and
 * records the search; the imports listed. Stops between pages when `signal` is aborted (the next start goes on).
 */
export async function copyLegacyImports(store: EventStore, catalog: ImportCatalog, signal?: AbortSignal): Promise<ImportSummary[]> {
  const from = (await catalog.legacyCopiedUpTo()) ?? 0;
  const upTo = await store.head();
  const found = new Map<string, Gathered>();
  let after = from;
  while (after < upTo) {
    if (signal?.aborted) return [];
    const page = await store.read({ namespace: LIVE, after, limit: PAGE });
    if (page.length === 0) break;
    after = page[page.length - 1]!.position;
    const copies = new Map<string, EventDraft[]>();
    for (const e of page) {
      if (e.position > upTo || !isLegacyImported(e)) continue;
      const gathered = gatheredOf(found, e);
      const label = labelOf(e);
      let execution = gathered.executions.get(label);
      if (!execution) gathered.executions.set(label, (execution = { id: `${gathered.summary.id}.${gathered.executions.size + 1}`, hosts: new Set(), events: 0 }));
      execution.events++;
      execution.hosts.add(e.process);
      gathered.summary.events++;
      const namespace = executionNamespace(execution.id);
      const list = copies.get(namespace);
      if (list) list.push(draftOf(e));
      else copies.set(namespace, [draftOf(e)]);
    }
    for (const [namespace, drafts] of copies) await store.append(drafts, { namespace });
    if (page.length < PAGE) break;
    await nextTurn();
  }
  const known = new Set((await catalog.list()).map((i) => i.id));
  const listed: ImportSummary[] = [];
  for (const { summary, executions } of found.values()) {
    const whole: ImportSummary = {
      ...summary,
      executions: [...executions].map(([label, e]) => ({ id: e.id, label, events: e.events, hosts: [...e.hosts] })),
    };
    // Copied by a search that was cut short (or by another replica): listed already.
    if (known.has(whole.id)) continue;
    await catalog.add(whole);
    listed.push(whole);
  }
  // A store of a page or less is searched again at the next start as cheaply as the mark is read: no mark.
  if (found.size > 0 || upTo - from > PAGE) await catalog.markLegacyCopied(upTo);
  return listed;
}

function gatheredOf(found: Map<string, Gathered>, e: StoredEvent): Gathered {
  const known = found.get(e.source);
  if (known) return known;
  const name = e.source.slice('shiviz://'.length);
  const gathered: Gathered = {
    summary: { id: legacyImportId(e.source), name, source: e.source, importedAt: e.time, events: 0, executions: [], legacy: true },
    executions: new Map(),
  };
  found.set(e.source, gathered);
  return gathered;
}
