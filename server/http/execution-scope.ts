/**
 * Which execution a read of the event routes goes to. `?execution=<id>` names one imported execution; without it
 * they read the live events — except that a ShiViz source (`source=shiviz://<name>`, or an id `shiviz://<name>#…`)
 * that the live events do not hold is looked up among the imports: the newest import of that name answers (an id, the
 * newest that holds it), so the links and scripts written before imports had executions of their own keep working.
 */
import type { StoredEvent } from '../../shared/event.js';
import { executionNamespace, type ImportCatalog } from '../imports/catalog.js';
import { LIVE, type EventStore, type ReadOptions } from '../store/index.js';

const SHIVIZ = 'shiviz://';

/** The namespaces of the newest import of `source`, or none. */
async function importedNamespaces(catalog: ImportCatalog, source: string): Promise<string[]> {
  const found = await catalog.newestOf(source);
  return found ? found.executions.map((e) => executionNamespace(e.id)) : [];
}

/** Where `GET /api/events` reads: one execution, the live events, or the executions of the newest import of a source. */
export async function listNamespaces(catalog: ImportCatalog, q: { execution?: string; source?: string }): Promise<string[]> {
  if (q.execution !== undefined) return [executionNamespace(q.execution)];
  if (q.source?.startsWith(SHIVIZ)) {
    const imported = await importedNamespaces(catalog, q.source);
    if (imported.length > 0) return imported;
  }
  return [LIVE];
}

/**
 * A read of several namespaces as one, in position order (positions are unique across namespaces): each read up to
 * the limit, then merged and cut.
 */
export async function readAcross(store: EventStore, namespaces: readonly string[], options: ReadOptions & { limit: number }): Promise<StoredEvent[]> {
  if (namespaces.length === 1) return store.read({ ...options, namespace: namespaces[0]! });
  const pages = await Promise.all(namespaces.map((namespace) => store.read({ ...options, namespace })));
  return pages
    .flat()
    .sort((a, b) => a.position - b.position)
    .slice(0, options.limit);
}

/**
 * Finds an event by id in the namespace that holds it: the execution named, else the live events, else (for an id
 * of an imported event) the executions of the imports of its source, newest first — an id the newest import of a
 * file name lacks may be in an older one (another run of the same system, imported under the same name).
 */
export async function findIn<T>(
  catalog: ImportCatalog,
  q: { execution?: string; source?: string },
  id: string,
  look: (namespace: string) => Promise<T | null>,
): Promise<T | null> {
  if (q.execution !== undefined) return look(executionNamespace(q.execution));
  const live = await look(LIVE);
  if (live !== null) return live;
  const source = q.source ?? (id.startsWith(SHIVIZ) && id.includes('#') ? id.slice(0, id.indexOf('#')) : undefined);
  if (!source?.startsWith(SHIVIZ)) return null;
  for (const imported of await catalog.allOf(source)) {
    for (const execution of imported.executions) {
      const found = await look(executionNamespace(execution.id));
      if (found !== null) return found;
    }
  }
  return null;
}
