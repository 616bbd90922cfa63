/**
 * The timeline: a space-time diagram of the stored events — one lane per process, time or causal order along
 * the axis, happened-before arrows across lanes. Click an event to light its causal past and future (by vector
 * clock; a process missing from a clock counts as 0) and dim what is concurrent among the loaded events, while
 * the inspector shows the server's counts and nearest events over the whole store; filter and search; follow new
 * events live; brush a range (shift-drag) to replay it; import and export ShiViz logs, each import an execution
 * of its own that the execution picker shows alone, in causal order (ExecutionPicker.tsx). The address holds the
 * view (useTimelineView.ts): `/timeline?execution=<id>` opens that execution, and the structured search runs over
 * the execution shown. A link `/timeline?event=<id>` lands on that event: selected, in view, in the inspector
 * (useEventFromUrl.ts).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { StoredEvent } from '../../shared/event.js';
import { describeError } from '../api/client.js';
import { loadFullEvents, searchPayloads, type ExecutionScope } from './api.js';
import { ExecutionPicker } from './ExecutionPicker.js';
import { asJson, asShiViz } from './export.js';
import { FilterBar } from './FilterBar.js';
import { matchMask, type TimelineQuery } from './filter.js';
import { PayloadSearch } from './payload-search.js';
import { ImportDialog } from './ImportDialog.js';
import { Inspector } from './Inspector.js';
import { LanePanel, laneMovedBefore, type LaneState } from './LanePanel.js';
import { causalCone, CONE, laneOrder, layoutTimeline, type Axis } from './layout.js';

import { ReplayDialog, type ReplayScope } from './ReplayDialog.js';
import { SearchPanel } from './SearchPanel.js';
import { TimelineView } from './TimelineView.js';
import { useEventFromUrl } from './useEventFromUrl.js';
import { linkedExecution, useTimelineView } from './useTimelineView.js';
import { defaultAxisOf, encodeCompareView } from './view-state.js';
import { navigate, useLocation } from '../app/router.js';
import { useSelectionDetails } from './useSelectionDetails.js';
import { useTimelineEvents } from './useTimelineEvents.js';
import './timeline.css';
import './analysis.css';

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Typing pauses this long before the payloads are searched. */
const SEARCH_DELAY_MS = 300;

/** `value`, once it has not changed for `delayMs`. */
function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

export default function TimelinePage() {
  const location = useLocation();
  const [execution, setExecution] = useState<ExecutionScope>(() => linkedExecution(location.search));
  const [importsRead, setImportsRead] = useState(0);
  const data = useTimelineEvents(execution);
  const { events } = data;
  const [axis, setAxis] = useState<Axis>(() => defaultAxisOf({ ...(execution ? { execution } : {}) }));
  const [lanes, setLanes] = useState<LaneState>({ order: [], hidden: new Set(), collapsed: new Set() });
  const [query, setQuery] = useState<TimelineQuery>({});
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [textMatches, setTextMatches] = useState<ReadonlySet<number> | null>(null);
  const [brush, setBrush] = useState<[number, number] | null>(null);
  const [replayScope, setReplayScope] = useState<ReplayScope | null>(null);
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  // Payload text is searched by the server over the loaded range, and then over what loads beyond it.
  const first = events[0]?.position;
  const last = events[events.length - 1]?.position;
  const search = useMemo(
    () => new PayloadSearch((text, from, to) => searchPayloads(text, from, to, execution), setTextMatches, (e) => setNotice(`search failed: ${describeError(e)}`)),
    [execution],
  );
  useEffect(() => () => search.stop(), [search]);
  const searchedText = useDebounced(query.text || null, SEARCH_DELAY_MS);
  useEffect(() => search.want(searchedText, first, last), [search, searchedText, first, last]);
  // While typing, what was found for the text before is not an answer.
  const foundText = searchedText === (query.text || null) ? textMatches : null;

  const layout = useMemo(
    () => layoutTimeline(events, axis, { order: lanes.order, hidden: lanes.hidden, ...(data.origin !== undefined ? { origin: data.origin } : {}) }),
    [events, axis, lanes.order, lanes.hidden, data.origin],
  );
  const processes = useMemo(() => [...new Set(events.map((e) => e.process))], [events]);
  const { types, typeIndex } = useMemo(() => {
    const index = new Map<string, number>();
    const ti = Int32Array.from(events, (e) => {
      let k = index.get(e.type);
      if (k === undefined) index.set(e.type, (k = index.size));
      return k;
    });
    return { types: [...index.keys()], typeIndex: ti };
  }, [events]);
  const mask = useMemo(() => matchMask(events, query, foundText), [events, query, foundText]);
  /** Shows the live events, or one imported execution alone and, by default, in causal order. */
  const openExecution = useCallback((next: ExecutionScope) => {
    setExecution(next);
    setAxis(defaultAxisOf({ ...(next ? { execution: next } : {}) }));
    setBrush(null);
  }, []);
  const pickExecution = useCallback((next: ExecutionScope) => {
    openExecution(next);
    setSelectedId(null);
  }, [openExecution]);
  const landing = useEventFromUrl({ events, loading: data.loading, backfilling: data.backfilling, selectedId, setSelectedId, addRecords: data.addRecords, execution, openExecution });
  const selected = useMemo(() => (selectedId === null ? -1 : events.findIndex((e) => e.id === selectedId)), [events, selectedId]);
  const focus = useMemo(() => (landing.focus ? { index: events.findIndex((e) => e.id === landing.focus!.id), key: landing.focus.key } : null), [events, landing.focus]);
  const view = useTimelineView({ events, execution, axis, setAxis, query, setQuery, brush, setBrush, selectedId, select: landing.select, linkFocus: focus });
  const cone = useMemo(() => (selected >= 0 ? causalCone(events, selected) : null), [events, selected]);
  const shown = useMemo(() => {
    if (!cone) return null;
    let past = 0;
    let future = 0;
    for (let i = 0; i < cone.length; i++) {
      if (cone[i] === CONE.past) past++;
      else if (cone[i] === CONE.future) future++;
    }
    return { past, future };
  }, [cone]);
  const record = selected >= 0 ? (events[selected] ?? null) : null;
  const { causality, full, chain, correlationId } = useSelectionDetails(selectedId, record, execution);

  const matched = useMemo(() => mask.reduce((n, m) => n + m, 0), [mask]);
  const exportVisible = async (name: string, type: string, format: (events: StoredEvent[]) => string) => {
    const positions = events.filter((_, i) => mask[i] && layout.lane[i]! >= 0).map((e) => e.position);
    try {
      setNotice(`exporting ${positions.length} events…`);
      download(name, format(await loadFullEvents(positions, execution)), type);
      setNotice(`exported ${positions.length} events`);
    } catch (e) {
      setNotice(`export failed: ${describeError(e)}`);
    }
  };


  /** The brushed range as times (by the events inside it on the causal axis). */
  const brushScope = (): ReplayScope | null => {
    if (!brush) return null;
    const [a, b] = [Math.min(...brush), Math.max(...brush)];
    let from = Infinity;
    let to = -Infinity;
    events.forEach((e, i) => {
      const x = layout.x[i]!;
      if (x < a || x > b) return;
      from = Math.min(from, e.time);
      to = Math.max(to, e.time);
    });
    if (!Number.isFinite(from)) return null;
    return { from: new Date(from).toISOString(), to: new Date(to + 1).toISOString() };
  };

  return (
    <section className="timeline-page" aria-label="Timeline">
      <div className="timeline-bar">
        <h1>Timeline</h1>
        <ExecutionPicker value={execution} onChange={pickExecution} refresh={importsRead} onNotice={setNotice} />
        <div role="group" aria-label="Axis" className="inline-form">
          <button type="button" aria-pressed={axis === 'time'} onClick={() => setAxis('time')}>
            By time
          </button>
          <button type="button" aria-pressed={axis === 'causal'} onClick={() => setAxis('causal')}>
            Causal order
          </button>
        </div>
        {execution === null ? (
          <>
            <button type="button" aria-pressed={data.paused} onClick={() => data.setPaused(!data.paused)}>
              {data.paused ? `Resume live${data.pending ? ` (${data.pending} new)` : ''}` : 'Pause live'}
            </button>
            <span className={data.live && !data.paused ? 'status-info' : 'muted'} data-testid="live-state">{data.paused ? '❚❚ paused' : data.live ? '● live' : '○ not live'}</span>
          </>
        ) : (
          <span className="muted">imported execution</span>
        )}
        <LanePanel processes={processes} lanes={lanes} onChange={setLanes} />
        <div className="toolbar">
          <button type="button" onClick={() => setImporting(true)}>
            Import ShiViz log…
          </button>
          <button type="button" onClick={() => void exportVisible('events.json', 'application/json', asJson)}>
            Export JSON
          </button>
          <button type="button" onClick={() => void exportVisible('events.log', 'text/plain', asShiViz)}>
            Export ShiViz
          </button>
          {correlationId && execution === null ? (
            <button type="button" onClick={() => setReplayScope({ correlationId })}>
              Replay this chain…
            </button>
          ) : null}
          <button type="button" onClick={() => navigate(`/timeline/compare?${encodeCompareView(execution ? { a: execution } : {})}`)}>
            Compare executions…
          </button>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(window.location.href).then(() => setNotice('link to this view copied'), () => setNotice(`link to this view: ${window.location.href}`))}>
            Copy link
          </button>
          <button type="button" className="primary" disabled={!brush || execution !== null} onClick={() => setReplayScope(brushScope())} title={execution === null ? 'Shift-drag on the diagram to select a range' : 'Replays run live events; an import is not replayed'}>
            Replay range…
          </button>
        </div>
      </div>
      <FilterBar query={query} onChange={setQuery} types={types} />
      <SearchPanel key={execution ?? ''} {...view.search} />
      <p className="timeline-status muted" aria-live="polite">
        {data.loading ? 'Loading events…' : `${events.length} events · ${layout.lanes.length} lanes · ${layout.edgeFrom.length} arrows`}
        {!data.loading && data.backfilling ? ' · loading older events…' : ''}
        {query.text && foundText === null ? ' · searching payloads…' : ''}
        {matched !== events.length ? ` · ${matched} match` : ''}
        {brush ? ' · range selected' : ' · shift-drag to select a range, drag to pan, wheel to scroll lanes, Ctrl+wheel to zoom'}
        {notice ? ` · ${notice}` : ''}
        {landing.problem ? ` · ${landing.problem}` : ''}
        {view.problems.length > 0 ? ` · link: ${view.problems.join('; ')}` : ''}
      </p>
      {data.error ? <p className="status-error">{data.error}</p> : null}
      <div className="timeline-body">
        {events.length === 0 && !data.loading ? (
          <div className="empty-state">No events yet. Publish some, deploy the demo flow, or import a ShiViz log.</div>
        ) : (
          <TimelineView
            refreshKey={data.generation}
            layout={layout}
            collapsed={lanes.collapsed}
            types={types}
            typeIndex={typeIndex}
            cone={cone}
            mask={mask}
            selected={selected}
            brush={brush}
            followKey={data.pages}
            focus={view.focus}
            highlight={view.highlight}
            onSelect={(i) => landing.select(i >= 0 ? (events[i]?.id ?? null) : null)}
            onBrush={setBrush}
            onMoveLane={(process, before) => setLanes((l) => ({ ...l, order: laneMovedBefore(laneOrder(events, { order: l.order }), process, before) }))}
          />
        )}
        <Inspector record={record} full={full} events={events} chain={chain} causality={causality} shown={shown} onSelect={landing.select} />
      </div>
      {replayScope ? <ReplayDialog scope={replayScope} onClose={() => setReplayScope(null)} /> : null}
      {importing ? (
        <ImportDialog
          onClose={() => setImporting(false)}
          onImported={(answer) => {
            setImporting(false);
            setNotice(`imported ${answer.imported} events of ${answer.processes.length} hosts${answer.unmatchedCount > 0 ? `; ${answer.unmatchedCount} lines left out` : ''}`);
            setImportsRead((n) => n + 1);
            pickExecution(answer.import.executions[0]?.id ?? null);
          }}
        />
      ) : null}
    </section>
  );
}


