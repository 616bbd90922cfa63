/**
 * Comparing executions (`/timeline/compare`): the executions of an imported log (a log split by a delimiter has
 * several) grouped by similarity as ShiViz's clustering does — by number of processes, or by distance — and any two
 * imported executions side by side, the hosts and events present in only one highlighted (ShiViz's pairwise view).
 * The imports and their executions are those of `GET /api/imports`; each execution is read alone, with its payloads
 * (`GET /api/events?execution=`). The address holds the log, the two executions and the grouping (view-state.ts),
 * so a comparison can be linked.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { clustersByDistance, clustersByProcessCount, MAX_DISTANCE_CLUSTERED } from '../../shared/analysis/clusters.js';
import { compareExecutions } from '../../shared/analysis/compare.js';
import { executionOf, type Execution } from '../../shared/analysis/executions.js';
import type { AnalysisEvent } from '../../shared/analysis/graph.js';
import type { ImportSummary } from '../../shared/api/imports.js';
import { describeError } from '../api/client.js';
import { navigate, useLocation } from '../app/router.js';
import { loadExecutionEvents } from './analysis-api.js';
import { listImports } from './api.js';
import { CompareDiagram } from './CompareDiagram.js';
import { executionTitle } from './ExecutionPicker.js';
import { decodeCompareView, encodeCompareView, type CompareView } from './view-state.js';
import './analysis.css';

/** An imported execution as listed, with its import. */
interface Listed {
  summary: ImportSummary;
  title: string;
  /** What the diagrams and groups call it: its label, or its import's name when the log holds one execution. */
  label: string;
}

export default function ComparePage() {
  const location = useLocation();
  const [{ view: initial, problems }] = useState(() => decodeCompareView(location.search));
  const [view, setView] = useState<CompareView>(initial);
  const [imports, setImports] = useState<ImportSummary[] | string | null>(null);
  const [loaded, setLoaded] = useState<Map<string, AnalysisEvent[] | 'loading' | string>>(new Map());
  const requested = useRef(new Set<string>());

  useEffect(() => {
    listImports()
      .then(setImports)
      .catch((e: unknown) => setImports(`imports could not be listed: ${describeError(e)}`));
  }, []);
  const listed = useMemo(() => {
    const out = new Map<string, Listed>();
    if (Array.isArray(imports)) {
      for (const summary of imports) for (const e of summary.executions) out.set(e.id, { summary, title: executionTitle(summary, e), label: e.label || summary.name });
    }
    return out;
  }, [imports]);
  // The log grouped: the one named, else that of execution A.
  const logId = view.log ?? (view.a ? listed.get(view.a)?.summary.id : undefined);
  const log = Array.isArray(imports) ? imports.find((i) => i.id === logId) : undefined;

  const wanted = useMemo(() => [...new Set([...(log?.executions.map((e) => e.id) ?? []), view.a, view.b].filter((id): id is string => !!id && listed.has(id)))], [log, view.a, view.b, listed]);
  useEffect(() => {
    for (const id of wanted) {
      if (requested.current.has(id)) continue;
      requested.current.add(id);
      setLoaded((m) => new Map(m).set(id, 'loading'));
      loadExecutionEvents(id)
        .then(({ events }) => setLoaded((m) => new Map(m).set(id, events)))
        .catch((e: unknown) => setLoaded((m) => new Map(m).set(id, `could not read ${listed.get(id)?.title ?? id}: ${describeError(e)}`)));
    }
  }, [wanted]);

  useEffect(() => {
    const address = encodeCompareView(view);
    navigate(address ? `/timeline/compare?${address}` : '/timeline/compare', { replace: true });
  }, [view]);

  const byId = useMemo(() => {
    const out = new Map<string, Execution>();
    for (const [id, events] of loaded) if (Array.isArray(events)) out.set(id, executionOf(id, listed.get(id)?.label ?? id, events));
    return out;
  }, [loaded, listed]);
  const executions = useMemo(() => (log ? log.executions.map((e) => byId.get(e.id)).filter((e): e is Execution => e !== undefined) : []), [log, byId]);
  const a = view.a ? byId.get(view.a) : undefined;
  const b = view.b ? byId.get(view.b) : undefined;
  const comparison = useMemo(() => (a && b ? compareExecutions(a, b) : null), [a, b]);
  const unknown = Array.isArray(imports) ? (['log', 'a', 'b'] as const).filter((k) => view[k] && !(k === 'log' ? imports.some((i) => i.id === view.log) : listed.has(view[k]!))) : [];

  const group = view.group ?? 'processes';
  const threshold = view.threshold ?? 0.5;
  const clusters = useMemo(() => {
    if (group === 'processes') return clustersByProcessCount(executions);
    return executions.length <= MAX_DISTANCE_CLUSTERED ? clustersByDistance(executions, threshold) : null;
  }, [executions, group, threshold]);

  const pick = (side: 'log' | 'a' | 'b', id: string) =>
    setView((v) => {
      const next = { ...v };
      if (id) next[side] = id;
      else delete next[side];
      return next;
    });
  const errors = [...(typeof imports === 'string' ? [imports] : []), ...unknown.map((k) => `link: ${k}: no such import or execution`), ...[...loaded.values()].filter((v): v is string => typeof v === 'string' && v !== 'loading')];
  const loading = [...loaded.values()].some((v) => v === 'loading');

  const sidePicker = (side: 'a' | 'b', label: string) => (
    <label>
      {label}
      <select aria-label={`Execution ${label}`} value={view[side] ?? ''} onChange={(e) => pick(side, e.target.value)}>
        <option value="">—</option>
        {[...listed].map(([id, e]) => (
          <option key={id} value={id}>
            {e.title}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="compare-page" aria-label="Compare executions">
      <h1>Compare executions</h1>
      <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
        <label>
          Log
          <select aria-label="Log" value={log?.id ?? ''} onChange={(e) => pick('log', e.target.value)}>
            <option value="">—</option>
            {Array.isArray(imports)
              ? imports.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.name} ({i.executions.length} {i.executions.length === 1 ? 'execution' : 'executions'})
                  </option>
                ))
              : null}
          </select>
        </label>
        {sidePicker('a', 'A')}
        {sidePicker('b', 'B')}
      </form>
      {imports === null || loading ? <p className="muted">Loading executions…</p> : null}
      {Array.isArray(imports) && imports.length === 0 ? <p className="muted">No imports yet: import a ShiViz log on the timeline.</p> : null}
      {[...problems.map((p) => `link: ${p}`), ...errors].map((p) => (
        <p key={p} className="status-error">
          {p}
        </p>
      ))}
      {executions.length > 0 ? (
        <section className="compare-clusters" aria-label="Groups of executions">
          <h2>Groups</h2>
          <div className="inline-form">
            <label>
              Group by
              <select aria-label="Group by" value={group} onChange={(e) => setView((v) => ({ ...v, group: e.target.value as 'processes' | 'distance' }))}>
                <option value="processes">number of processes</option>
                <option value="distance">distance</option>
              </select>
            </label>
            {group === 'distance' ? (
              <label>
                at most {threshold.toFixed(2)} apart
                <input type="range" aria-label="Distance threshold" min={0} max={1} step={0.05} value={threshold} onChange={(e) => setView((v) => ({ ...v, threshold: Number(e.target.value) }))} />
              </label>
            ) : null}
          </div>
          {clusters === null ? (
            <p className="muted">More than {MAX_DISTANCE_CLUSTERED} executions: group them by number of processes.</p>
          ) : (
            <ol data-testid="clusters" data-count={clusters.length}>
              {clusters.map((c) => (
                <li key={c.members.join(',')}>
                  <strong>{c.title}</strong>
                  <ul>
                    {c.members.map((m) => {
                      const e = executions[m]!;
                      return (
                        <li key={e.id}>
                          {e.label}{' '}
                          <button type="button" onClick={() => pick('a', e.id)}>
                            as A
                          </button>{' '}
                          <button type="button" onClick={() => pick('b', e.id)}>
                            as B
                          </button>
                        </li>
                      );
                    })}
                  </ul>
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}
      {a && b && comparison ? (
        <section aria-label="Pairwise comparison">
          <p data-testid="compare-summary" data-only-a={comparison.onlyA.length} data-only-b={comparison.onlyB.length} data-hosts-only-a={comparison.hosts.onlyA.join(',')} data-hosts-only-b={comparison.hosts.onlyB.join(',')}>
            {comparison.onlyA.length === 0 && comparison.onlyB.length === 0 ? 'Same hosts and events. ' : ''}
            Events only in A: {comparison.onlyA.length}, only in B: {comparison.onlyB.length}; hosts only in A: {comparison.hosts.onlyA.join(', ') || 'none'}, only in B:{' '}
            {comparison.hosts.onlyB.join(', ') || 'none'}; distance {comparison.distance.toFixed(2)}.
          </p>
          <div className="compare-pair">
            <CompareDiagram side="A" execution={a} only={new Set(comparison.onlyA)} onlyHosts={new Set(comparison.hosts.onlyA)} />
            <CompareDiagram side="B" execution={b} only={new Set(comparison.onlyB)} onlyHosts={new Set(comparison.hosts.onlyB)} />
          </div>
        </section>
      ) : (
        <p className="muted">Choose two executions, A and B, to see them side by side.</p>
      )}
    </section>
  );
}
