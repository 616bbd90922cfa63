/**
 * Comparing executions (`/timeline/compare`): the executions of an imported log (its `source`), grouped by
 * similarity as ShiViz's clustering does — by number of processes, or by distance — and two of them side by side,
 * the hosts and events present in only one highlighted (ShiViz's pairwise view). The address holds the two
 * executions and the grouping (view-state.ts), so a comparison can be linked.
 *
 * Executions come from `executionsOf` (shared/analysis/executions.ts) over the events of each source named: the
 * page knows nothing else of how an import marks its executions.
 */
import { useEffect, useMemo, useState } from 'react';
import { clustersByDistance, clustersByProcessCount, MAX_DISTANCE_CLUSTERED } from '../../shared/analysis/clusters.js';
import { compareExecutions } from '../../shared/analysis/compare.js';
import { executionsOf, type Execution, type ExecutionRef } from '../../shared/analysis/executions.js';
import type { AnalysisEvent } from '../../shared/analysis/graph.js';
import { describeError } from '../api/client.js';
import { navigate, useLocation } from '../app/router.js';
import { loadSourceEvents } from './analysis-api.js';
import { CompareDiagram } from './CompareDiagram.js';
import { decodeCompareView, encodeCompareView, type CompareView } from './view-state.js';
import './analysis.css';

const refKey = (ref: ExecutionRef) => JSON.stringify([ref.source, ref.execution]);

export default function ComparePage() {
  const location = useLocation();
  const [{ view: initial, problems }] = useState(() => decodeCompareView(location.search));
  const [view, setView] = useState<CompareView>(initial);
  const [sourceText, setSourceText] = useState(initial.a?.source ?? '');
  const [loaded, setLoaded] = useState<Map<string, AnalysisEvent[] | 'loading' | string>>(new Map());

  const sources = useMemo(() => [...new Set([view.a?.source, view.b?.source, sourceText.trim()].filter((s): s is string => !!s))], [view.a?.source, view.b?.source, sourceText]);
  const load = (source: string) => {
    if (loaded.has(source)) return;
    setLoaded((m) => new Map(m).set(source, 'loading'));
    loadSourceEvents(source)
      .then(({ events }) => setLoaded((m) => new Map(m).set(source, events)))
      .catch((e: unknown) => setLoaded((m) => new Map(m).set(source, `could not read ${source}: ${describeError(e)}`)));
  };
  useEffect(() => {
    if (view.a) load(view.a.source);
    if (view.b) load(view.b.source);
  }, [view.a?.source, view.b?.source]);

  useEffect(() => {
    const address = encodeCompareView(view);
    navigate(address ? `/timeline/compare?${address}` : '/timeline/compare', { replace: true });
  }, [view]);

  const executions = useMemo(() => {
    const out: Execution[] = [];
    for (const source of sources) {
      const events = loaded.get(source);
      if (Array.isArray(events)) out.push(...executionsOf(events));
    }
    return out;
  }, [sources, loaded]);
  const byKey = useMemo(() => new Map(executions.map((e) => [refKey(e.ref), e])), [executions]);
  const a = view.a ? byKey.get(refKey(view.a)) : undefined;
  const b = view.b ? byKey.get(refKey(view.b)) : undefined;
  const comparison = useMemo(() => (a && b ? compareExecutions(a, b) : null), [a, b]);

  const group = view.group ?? 'processes';
  const threshold = view.threshold ?? 0.5;
  const clusters = useMemo(() => {
    if (group === 'processes') return clustersByProcessCount(executions);
    return executions.length <= MAX_DISTANCE_CLUSTERED ? clustersByDistance(executions, threshold) : null;
  }, [executions, group, threshold]);

  const pick = (side: 'a' | 'b', ref: ExecutionRef | undefined) => setView((v) => {
    const next = { ...v };
    if (ref) next[side] = ref;
    else delete next[side];
    return next;
  });
  const errors = [...loaded.values()].filter((v): v is string => typeof v === 'string' && v !== 'loading');
  const loading = [...loaded.values()].some((v) => v === 'loading');

  const sidePicker = (side: 'a' | 'b', label: string) => (
    <label>
      {label}
      <select aria-label={`Execution ${label}`} value={view[side] ? refKey(view[side]) : ''} onChange={(e) => pick(side, e.target.value ? byKey.get(e.target.value)?.ref : undefined)}>
        <option value="">—</option>
        {executions.map((e) => (
          <option key={refKey(e.ref)} value={refKey(e.ref)}>
            {e.label} ({e.hosts.length} hosts, {e.events.length} events)
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="compare-page" aria-label="Compare executions">
      <h1>Compare executions</h1>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (sourceText.trim()) load(sourceText.trim());
        }}
      >
        <label>
          Log (source)
          <input aria-label="Log source" value={sourceText} placeholder="shiviz://run.log" onChange={(e) => setSourceText(e.target.value)} />
        </label>
        <button type="submit">Load executions</button>
        {sidePicker('a', 'A')}
        {sidePicker('b', 'B')}
      </form>
      {loading ? <p className="muted">Loading events…</p> : null}
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
                        <li key={refKey(e.ref)}>
                          {e.label}{' '}
                          <button type="button" onClick={() => pick('a', e.ref)}>
                            as A
                          </button>{' '}
                          <button type="button" onClick={() => pick('b', e.ref)}>
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
