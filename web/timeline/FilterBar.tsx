/** Filters and search: matches are highlighted, the rest dimmed. */
import type { TimelineQuery } from './filter.js';

const toLocal = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 19));
const fromLocal = (text: string) => (text === '' ? undefined : Date.parse(text));

export function FilterBar({ query, onChange, types }: { query: TimelineQuery; onChange(q: TimelineQuery): void; types: readonly string[] }) {
  const set = (patch: Partial<TimelineQuery>) => {
    const next: TimelineQuery = { ...query, ...patch };
    for (const k of Object.keys(next) as (keyof TimelineQuery)[]) if (next[k] === '' || next[k] === undefined) delete next[k];
    onChange(next);
  };
  return (
    <form className="timeline-filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <label>
        Type
        <input list="timeline-types" aria-label="Filter by type" value={(query.types ?? []).join(',')} placeholder="reading.*" onChange={(e) => set({ types: e.target.value.split(',').map((t) => t.trim()).filter(Boolean) })} />
        <datalist id="timeline-types">
          {types.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </label>
      <label>
        Source
        <input aria-label="Filter by source" value={query.source ?? ''} onChange={(e) => set({ source: e.target.value })} />
      </label>
      <label>
        Process
        <input aria-label="Filter by process" value={query.process ?? ''} onChange={(e) => set({ process: e.target.value })} />
      </label>
      <label>
        Flow
        <input aria-label="Filter by flow" value={query.flowId ?? ''} onChange={(e) => set({ flowId: e.target.value })} />
      </label>
      <label>
        Correlation
        <input aria-label="Filter by correlation id" value={query.correlationId ?? ''} onChange={(e) => set({ correlationId: e.target.value })} />
      </label>
      <label>
        From
        <input type="datetime-local" step="1" aria-label="From time" value={toLocal(query.from)} onChange={(e) => set({ from: fromLocal(e.target.value) })} />
      </label>
      <label>
        To
        <input type="datetime-local" step="1" aria-label="To time" value={toLocal(query.to)} onChange={(e) => set({ to: fromLocal(e.target.value) })} />
      </label>
      <label>
        Search payloads
        <input type="search" aria-label="Search payloads" value={query.text ?? ''} onChange={(e) => set({ text: e.target.value })} />
      </label>
    </form>
  );
}
