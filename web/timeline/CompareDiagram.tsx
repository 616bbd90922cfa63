/**
 * One execution of a pairwise comparison, drawn small as an SVG space-time diagram: a lane per host, events in
 * causal order, happened-before arrows; the hosts and events the other execution lacks are highlighted (ShiViz's
 * pairwise view). Meant for executions of a few thousand events at most: past MAX_DRAWN only the counts show.
 */
import { useMemo } from 'react';
import { hostOf, textOf, type Execution } from '../../shared/analysis/executions.js';
import { layoutTimeline } from './layout.js';

export const MAX_DRAWN = 2000;
const STEP = 34;
const LANE = 38;
const LABEL = 120;

export interface CompareDiagramProps {
  side: 'A' | 'B';
  execution: Execution;
  /** Indices into `execution.events` the other side lacks. */
  only: ReadonlySet<number>;
  onlyHosts: ReadonlySet<string>;
}

export function CompareDiagram({ side, execution, only, onlyHosts }: CompareDiagramProps) {
  const layout = useMemo(() => layoutTimeline(execution.events.map((e) => ({ ...e, time: 0 })), 'causal'), [execution]);
  const title = `${side}: ${execution.label}`;
  if (execution.events.length > MAX_DRAWN) {
    return (
      <figure className="compare-diagram" aria-label={title}>
        <figcaption>{title}</figcaption>
        <p className="muted">{execution.events.length} events: too many to draw side by side.</p>
      </figure>
    );
  }
  const hostOfLane = layout.lanes.map((process) => hostOf(execution.events.find((e) => e.process === process)!));
  const width = LABEL + (layout.extent[1] + 1) * STEP + 20;
  const height = layout.lanes.length * LANE + 10;
  const at = (i: number) => ({ x: LABEL + 14 + layout.x[i]! * STEP, y: 20 + layout.lane[i]! * LANE });
  return (
    <figure className="compare-diagram" aria-label={title} data-side={side}>
      <figcaption>{title}</figcaption>
      <svg width={width} height={height} role="img" aria-label={`${execution.hosts.length} hosts, ${execution.events.length} events`}>
        <defs>
          <marker id={`arrow-${side}`} viewBox="0 0 8 8" refX="16" refY="4" markerWidth="6" markerHeight="6" orient="auto">
            <path d="M0,0 L8,4 L0,8 z" fill="#64748b" />
          </marker>
        </defs>
        {hostOfLane.map((host, lane) => (
          <g key={host} className={onlyHosts.has(host) ? 'compare-host only' : 'compare-host'} data-host={host} data-only={onlyHosts.has(host) || undefined}>
            <text x={4} y={24 + lane * LANE}>
              {host}
            </text>
            <line x1={LABEL} x2={width} y1={20 + lane * LANE} y2={20 + lane * LANE} />
          </g>
        ))}
        {Array.from(layout.edgeFrom, (from, k) => {
          const a = at(from);
          const b = at(layout.edgeTo[k]!);
          return <line key={k} className="compare-edge" x1={a.x} y1={a.y} x2={b.x} y2={b.y} markerEnd={`url(#arrow-${side})`} />;
        })}
        {execution.events.map((e, i) => {
          const { x, y } = at(i);
          return (
            <circle key={e.id} className={only.has(i) ? 'compare-event only' : 'compare-event'} data-only={only.has(i) || undefined} cx={x} cy={y} r={only.has(i) ? 7 : 5}>
              <title>{`${hostOf(e)}: ${textOf(e)}`}</title>
            </circle>
          );
        })}
      </svg>
    </figure>
  );
}
