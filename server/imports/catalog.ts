/**
 * The imported logs the store holds, kept as events of their own in the `imports` namespace — `import.created` with
 * the import's summary, `import.renamed`, `import.deleted` — so every adapter keeps them with no table of their own
 * and replicas sharing a database see the same list. The list is the fold of those events. Each execution's events
 * live in a namespace of their own, `import:<execution id>`: never read with the live events nor with another
 * execution, so lanes, clocks and causal answers stay within one execution. `imports.legacy-copied` records how far
 * the live events were searched for imports made before executions existed (legacy.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ImportSummary } from '../../shared/api/imports.js';
import type { EventDraft } from '../../shared/event.js';
import { readPages, type EventStore } from '../store/index.js';

export const CATALOG_NAMESPACE = 'imports';

/** Where the events of one imported execution are stored. */
export const executionNamespace = (executionId: string): string => `import:${executionId}`;

export const newImportId = (): string => `imp-${randomBytes(6).toString('hex')}`;

type CatalogEvent =
  | { type: 'import.created'; data: ImportSummary }
  | { type: 'import.renamed'; data: { id: string; name: string } }
  | { type: 'import.deleted'; data: { id: string } }
  /** The imports the live namespace held from before executions were copied out of it (legacy.ts). */
  | { type: 'imports.legacy-copied'; data: { id: typeof LEGACY_MARK; upTo: number } };

const LEGACY_MARK = 'legacy-copy';

function draftOf(event: CatalogEvent): EventDraft {
  const stream = `import/${event.data.id}`;
  const id = randomUUID();
  return {
    id,
    type: event.type,
    source: 'causeway://imports',
    time: new Date().toISOString(),
    subject: event.data.id,
    datacontenttype: 'application/json',
    data: event.data,
    stream,
    process: stream,
    // The catalog's events are never compared causally: the clock only has to be well formed.
    vectorClock: { [stream]: Date.now() },
    correlationId: id,
    causationId: null,
    flowId: null,
    nodeId: null,
    revision: null,
    metadata: {},
  };
}

export class ImportCatalog {
  constructor(private readonly store: EventStore) {}

  /** Newest first (by `importedAt`: an import copied out of the live events is as old as its events). */
  async list(): Promise<ImportSummary[]> {
    const imports = new Map<string, ImportSummary>();
    for await (const page of readPages(this.store, { namespace: CATALOG_NAMESPACE })) {
      for (const e of page) {
        const event = { type: e.type, data: e.data } as CatalogEvent;
        if (event.type === 'import.created') imports.set(event.data.id, event.data);
        else if (event.type === 'import.deleted') imports.delete(event.data.id);
        else if (event.type === 'import.renamed') {
          const known = imports.get(event.data.id);
          if (known) imports.set(known.id, { ...known, name: event.data.name });
        }
      }
    }
    // Stable: imports of the same instant stay newest listed first.
    return [...imports.values()].reverse().sort((a, b) => (a.importedAt < b.importedAt ? 1 : a.importedAt > b.importedAt ? -1 : 0));
  }

  async get(id: string): Promise<ImportSummary | null> {
    return (await this.list()).find((i) => i.id === id) ?? null;
  }

  /** The newest import whose events have this source (`shiviz://<file name>`). */
  async newestOf(source: string): Promise<ImportSummary | null> {
    return (await this.list()).find((i) => i.source === source) ?? null;
  }

  /** Every import whose events have this source, newest first. */
  async allOf(source: string): Promise<ImportSummary[]> {
    return (await this.list()).filter((i) => i.source === source);
  }

  async add(summary: ImportSummary): Promise<void> {
    await this.store.append([draftOf({ type: 'import.created', data: summary })], { namespace: CATALOG_NAMESPACE });
  }

  async rename(id: string, name: string): Promise<ImportSummary | null> {
    const known = await this.get(id);
    if (!known) return null;
    await this.store.append([draftOf({ type: 'import.renamed', data: { id, name } })], { namespace: CATALOG_NAMESPACE });
    return { ...known, name };
  }

  /** Unlists the import, then drops the events of its executions; false when there is none. */
  async delete(id: string): Promise<boolean> {
    const known = await this.get(id);
    if (!known) return false;
    await this.store.append([draftOf({ type: 'import.deleted', data: { id } })], { namespace: CATALOG_NAMESPACE });
    await this.drop(known.executions.map((e) => e.id));
    return true;
  }

  /** Drops the events of executions that are not listed (an import that failed half-way). */
  async drop(executionIds: readonly string[]): Promise<void> {
    for (const id of executionIds) await this.store.dropNamespace(executionNamespace(id));
  }

  /** The position up to which the live events were searched for imports from before executions; null: never. */
  async legacyCopiedUpTo(): Promise<number | null> {
    let upTo: number | null = null;
    for await (const page of readPages(this.store, { namespace: CATALOG_NAMESPACE, types: ['imports.legacy-copied'] })) {
      for (const e of page) upTo = Math.max(upTo ?? 0, (e.data as { upTo: number }).upTo);
    }
    return upTo;
  }

  async markLegacyCopied(upTo: number): Promise<void> {
    await this.store.append([draftOf({ type: 'imports.legacy-copied', data: { id: LEGACY_MARK, upTo } })], { namespace: CATALOG_NAMESPACE });
  }
}
