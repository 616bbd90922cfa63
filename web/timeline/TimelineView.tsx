/**
 * The diagram with what reading it at any zoom needs: **Fit all** and **Fit selection** (the brushed range, else
 * the selected event), "Compress idle time" (long gaps drawn as breaks, idle-gaps.ts), "Collapse local events"
 * (local-runs.ts), colour by host or by type, and the overview strip above it: of the whole store by time, of the
 * diagram's events in causal order (overview.ts), its brush showing the range dragged in either. Brushes are handed
 * up in the layout's own axis units, whatever the compression, so the page's replay range stays exact.
 */
import { useCallback, useMemo, useState } from 'react';
import { compressAxis, compressLayout, idleGaps } from './idle-gaps.js';
import { localRuns } from './local-runs.js';
import { causalOverview } from './overview.js';
import { OverviewStrip } from './OverviewStrip.js';
import { TimelineCanvas, type TimelineCanvasProps, type ViewAsk, type ViewCommand } from './TimelineCanvas.js';
import type { Viewport } from './viewport.js';

export interface TimelineViewProps extends TimelineCanvasProps {
  /** Changes when the store may hold other events: the overview counts again. */
  refreshKey: number;
}

const FOCUS_SPAN = { time: 60_000, causal: 60 } as const;
/** Slices of the causal overview: two pixels each on a strip as wide as a laptop's diagram. */
const CAUSAL_OVERVIEW_SLICES = 500;

export function TimelineView({ refreshKey, ...props }: TimelineViewProps) {
  const [compress, setCompress] = useState(false);
  const [collapse, setCollapse] = useState(false);
  const [byHost, setByHost] = useState(true);
  const [command, setCommand] = useState<ViewCommand | null>(null);
  const [view, setView] = useState<Viewport | null>(null);
  const base = props.layout;

  const compressed = useMemo(() => {
    if (!compress) return null;
    const { gaps, threshold } = idleGaps(base.orderX);
    return gaps.length > 0 ? compressAxis(gaps, threshold) : null;
  }, [compress, base]);
  const layout = useMemo(() => (compressed ? compressLayout(base, compressed) : base), [base, compressed]);
  const runs = useMemo(() => (collapse ? localRuns(layout) : null), [collapse, layout]);
  const map = (x: number) => (compressed ? compressed.map(x) : x);
  const unmap = (x: number) => (compressed ? compressed.unmap(x) : x);
  const brush = props.brush ? ([map(props.brush[0]), map(props.brush[1])] as [number, number]) : null;

  const ask = (c: ViewAsk) => setCommand({ ...c, key: (command?.key ?? 0) + 1 });
  const selectedX = props.selected >= 0 && (layout.lane[props.selected] ?? -1) >= 0 ? layout.x[props.selected] : undefined;
  const fitSelection = () => {
    if (brush) ask({ kind: 'show', from: Math.min(...brush), to: Math.max(...brush) });
    else if (selectedX !== undefined) ask({ kind: 'show', from: selectedX - FOCUS_SPAN[layout.axis] / 2, to: selectedX + FOCUS_SPAN[layout.axis] / 2 });
  };
  const onView = useCallback((v: Viewport) => setView(v), []);

  const timeAxis = layout.axis === 'time';
  const causal = useMemo(() => (layout.axis === 'causal' && layout.order.length > 0 ? causalOverview(layout, CAUSAL_OVERVIEW_SLICES) : null), [layout]);
  const viewSpan: [number, number] | null = view ? [view.x0, view.x0 + view.width / view.scale] : null;
  // By time the strip counts in epoch ms; in causal order in the layout's own steps.
  const stripView: [number, number] | null = !viewSpan ? null : timeAxis ? [layout.origin + unmap(viewSpan[0]), layout.origin + unmap(viewSpan[1])] : viewSpan;
  const loaded: [number, number] | null = timeAxis && layout.order.length > 0 ? [base.origin + base.extent[0], base.origin + base.extent[1]] : null;
  const showFromStrip = (from: number, to: number) => ask(timeAxis ? { kind: 'show', from: map(from - layout.origin), to: map(to - layout.origin) } : { kind: 'show', from, to });

  return (
    <div className="timeline-view">
      <div className="timeline-view-bar" role="toolbar" aria-label="View">
        <button type="button" onClick={() => ask({ kind: 'fit-all' })} title="Show every loaded event (F)">
          Fit all
        </button>
        <button type="button" disabled={!brush && selectedX === undefined} onClick={fitSelection} title="Show the brushed range, or around the selected event">
          Fit selection
        </button>
        <label>
          <input type="checkbox" checked={compress} disabled={!timeAxis} onChange={(e) => setCompress(e.target.checked)} /> Compress idle time
        </label>
        <label>
          <input type="checkbox" checked={collapse} onChange={(e) => setCollapse(e.target.checked)} /> Collapse local events
        </label>
        <label>
          Colour by{' '}
          <select value={byHost ? 'host' : 'type'} onChange={(e) => setByHost(e.target.value === 'host')}>
            <option value="host">host</option>
            <option value="type">event type</option>
          </select>
        </label>
      </div>
      <OverviewStrip
        refreshKey={refreshKey}
        view={stripView}
        loaded={loaded}
        local={causal}
        onShow={showFromStrip}

      />
      <TimelineCanvas
        {...props}
        layout={layout}
        brush={brush}
        compressed={compressed}
        runs={runs}
        byHost={byHost}
        command={command}
        onView={onView}
        onBrush={(range) => props.onBrush(range ? [unmap(range[0]), unmap(range[1])] : null)}
      />
    </div>
  );
}
