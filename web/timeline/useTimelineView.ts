/**
 * The timeline's view and its address kept together: at first the address (view-state.ts) sets the axis, the
 * source filter, the brushed range and the structured search (which runs once the events are in, then lands on the
 * match the link names; the execution shown is read by TimelinePage, before the events); from then on every change
 * of these, of the execution picked, of the selection and of the current match is written back to the address, so
 * the address always opens the view on screen. The search runs over the execution shown, and is cleared when
 * another is picked. It also holds the search's matches as the diagram draws them (highlight.ts) and brings the
 * current match into view, selected.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ExecutionScope } from './api.js';
import type { TimelineRecord } from '../../shared/timeline-page.js';
import { navigate, useLocation } from '../app/router.js';
import type { SearchScope } from './analysis-api.js';
import type { TimelineQuery } from './filter.js';
import { highlightOf, type Highlight } from './highlight.js';
import type { Axis } from './layout.js';
import type { SearchPanelProps, SearchResult } from './SearchPanel.js';
import { decodeTimelineView, encodeTimelineView, type TimelineView } from './view-state.js';

interface Inputs {
  events: readonly TimelineRecord[];
  /** The execution shown (the picker's). */
  execution: ExecutionScope;
  axis: Axis;
  setAxis(axis: Axis): void;
  query: TimelineQuery;
  setQuery(update: (q: TimelineQuery) => TimelineQuery): void;
  brush: [number, number] | null;
  setBrush(brush: [number, number] | null): void;
  selectedId: string | null;
  select(id: string | null): void;
  /** An event a link names, to bring into view (useEventFromUrl.ts). */
  linkFocus: { index: number; key: number } | null;
}

export interface TimelineViewState {
  search: SearchPanelProps;
  highlight: Highlight | null;
  /** What to bring into view: the event a link names, or the current match, whichever came last. */
  focus: { index: number; key: number } | null;
  /** Problems reading the address, for the status line. */
  problems: string[];
}

/** The execution a timeline address names, read before anything loads; none: the live events. */
export const linkedExecution = (search: URLSearchParams): ExecutionScope => decodeTimelineView(search).view.execution ?? null;

export function useTimelineView({ events, execution, axis, setAxis, query, setQuery, brush, setBrush, selectedId, select, linkFocus }: Inputs): TimelineViewState {
  const location = useLocation();
  const [initial] = useState(() => decodeTimelineView(location.search));
  const [search, setSearch] = useState<{ q: string | null; matches: number[][] | null; current: number }>({ q: initial.view.q ?? null, matches: null, current: 0 });
  const [focus, setFocus] = useState<TimelineViewState['focus']>(null);
  const focusKey = useRef(0);
  useEffect(() => {
    if (linkFocus) setFocus({ index: linkFocus.index, key: ++focusKey.current });
  }, [linkFocus?.key]);

  useEffect(() => {
    const { view } = initial;
    if (view.axis) setAxis(view.axis);
    if (view.source) setQuery((q) => ({ ...q, source: view.source! }));
    if (view.range) setBrush(view.range);
  }, [initial]);

  // Another execution picked: the matches were positions of the one before, and the link's search was for it.
  const shownFirst = useRef(execution);
  const switched = useRef(false);
  useEffect(() => {
    if (execution === shownFirst.current && !switched.current) return;
    switched.current = true;
    setSearch({ q: null, matches: null, current: 0 });
  }, [execution]);

  const first = events[0]?.position;
  const last = events[events.length - 1]?.position;
  const scope: SearchScope = useMemo(
    () => ({ ...(execution ? { execution } : {}), ...(query.source ? { source: query.source } : {}), ...(first !== undefined ? { after: first - 1, before: last! + 1 } : {}) }),
    [execution, query.source, first, last],
  );

  const positions = useMemo(() => events.map((e) => e.position), [events]);
  const highlight = useMemo(() => highlightOf(positions, search.matches, search.current), [positions, search.matches, search.current]);

  // The current match: its first event selected and brought into view.
  const indexByPosition = useMemo(() => new Map(positions.map((p, i) => [p, i])), [positions]);
  useEffect(() => {
    const position = search.matches?.[search.current]?.[0];
    const index = position === undefined ? undefined : indexByPosition.get(position);
    if (index === undefined) return;
    select(events[index]!.id);
    setFocus({ index, key: ++focusKey.current });
  }, [search.matches, search.current]);

  const view: TimelineView = {
    ...(query.source ? { source: query.source } : {}),
    ...(execution ? { execution } : {}),
    axis,
    ...(brush ? { range: [Math.min(...brush), Math.max(...brush)] as [number, number] } : {}),
    ...(selectedId ? { event: selectedId } : {}),
    ...(search.q ? { q: search.q, match: search.current } : {}),
  };
  const address = encodeTimelineView(view);
  useEffect(() => {
    if (address !== location.search.toString()) navigate(address ? `/timeline?${address}` : '/timeline', { replace: true });
  }, [address]);

  const landed = useRef(false);
  const onResult = (result: SearchResult | null) => {
    let current = 0;
    // The search a link named lands on the match it named.
    if (!landed.current && result && result.q === initial.view.q) current = Math.min(initial.view.match ?? 0, Math.max(0, result.answer.matches.length - 1));
    landed.current = true;
    setSearch({ q: result?.q ?? null, matches: result?.answer.matches ?? null, current });
  };

  return {
    search: { scope, ...(initial.view.q && !switched.current && execution === shownFirst.current ? { initialQuery: initial.view.q } : {}), current: search.current, onResult, onCurrent: (current) => setSearch((s) => ({ ...s, current })) },
    highlight,
    focus,
    problems: initial.problems,
  };
}
