/**
 * One node on the canvas: kind colour, icon, name and type, its ports, its problems, live counts (its errors open its
 * dead letters) with a status line (rate, last event, an actor's live keys), and a replay's tally.
 */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { FlowNode } from '../../shared/flow.js';
import { KIND_COLOURS, nodeType, type NodeKind } from '../../shared/nodes/index.js';
import type { NodeCounters } from '../../shared/api/flows.js';
import type { DiffSummary } from '../../shared/api/replays.js';
import { Link } from '../app/router.js';
import { deadLettersPath, matchRoute } from '../app/routes.js';
import { Sparkline } from '../live/Sparkline.js';
import { portAreaHeight, portCentre } from './card-geometry.js';
import { countText as shortCount } from './card-status.js';
import { NodeIcon } from './NodeIcon.js';
import { portsOf } from './ports.js';
import { countText } from './problems.js';

export type Decoration = 'added' | 'removed' | 'changed';

export interface CardData extends Record<string, unknown> {
  node: FlowNode;
  problems: string[];
  warnings: string[];
  decoration: Decoration | null;
  counters: NodeCounters | null;
  rates: number[] | null;
  /** The status line while the flow runs (card-status.ts). */
  status?: string | null;
  /** A replay's outputs of this node against the originals; absent outside a replay. */
  tally?: DiffSummary | null;
}

export type CardNode = Node<CardData, 'causeway'>;

/** The flow the editor shows: the card's errors open that flow's dead letters. */
const flowIdOf = (pathname: string) => {
  const route = matchRoute(pathname);
  return route.name === 'editor' ? route.flowId : null;
};

function Card({ data, selected }: NodeProps<CardNode>) {
  const { node, problems, warnings, decoration, counters, rates, status, tally } = data;
  const def = nodeType(node.type);
  const kind: NodeKind | 'unknown' = def?.kind ?? 'unknown';
  const colour = def ? def.palette.colour : '#6b7280';
  const ports = portsOf(node);
  const { inputs, outputs } = ports;
  const area = portAreaHeight(ports);
  const title = [...problems.map((p) => `Error: ${p}`), ...warnings.map((w) => `Warning: ${w}`)].join('\n') || undefined;
  const classes = ['flow-node', `kind-${kind}`, problems.length ? 'has-problem' : warnings.length ? 'has-warning' : '', decoration ? `diff-${decoration}` : '', selected ? 'selected' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} style={{ ['--kind' as string]: colour, minHeight: area }} title={title} data-node-id={node.id} data-testid={`node-${node.id}`} aria-label={`${node.name || node.id} (${def?.palette.label ?? node.type})`}>
      {inputs.map((port, i) => (
        <Handle key={port} type="target" position={Position.Left} id={port} style={{ top: portCentre(i, inputs.length, area) }} aria-label={`${node.name || node.id} input ${port}`} data-port={port} />
      ))}
      <div className="flow-node-head">
        <span className="flow-node-kind">
          <NodeIcon type={node.type} kind={kind} />
          {def?.palette.label ?? node.type}
        </span>
        {problems.length || warnings.length ? (
          <span className={`flow-node-badge${problems.length ? '' : ' warning'}`} aria-label={countText(problems.length, warnings.length)}>
            !
          </span>
        ) : null}
      </div>
      <div className="flow-node-name">{node.name || node.id}</div>
      {counters ? (
        <div className="flow-node-live" aria-label={`in ${counters.in}, out ${counters.out}, errors ${counters.errors}`}>
          <span title={`events in: ${counters.in}`}>in {shortCount(counters.in)}</span>
          <span title={`events out: ${counters.out}`}>out {shortCount(counters.out)}</span>
          {counters.errors ? (
            <Link to={deadLettersPath({ flowId: flowIdOf(window.location.pathname), nodeId: node.type === 'subflow' ? null : node.id })} title={node.type === 'subflow' ? "errors inside the subflow: open the flow's dead letters" : 'errors: open its dead letters'} className="live-errors nodrag nopan" data-testid={`dead-letters-${node.id}`}>
              err {shortCount(counters.errors)}
            </Link>
          ) : (
            <span title="errors">err 0</span>
          )}
        </div>
      ) : null}
      {counters && status ? (
        <div className="flow-node-status" data-testid={`status-${node.id}`}>
          {rates ? <Sparkline values={rates} label={`rate of ${node.name || node.id}`} width={36} height={12} /> : null}
          <span>{status}</span>
        </div>
      ) : null}
      {tally ? (
        <div className="flow-node-tally" data-testid={`tally-${node.id}`} aria-label={`identical ${tally.identical}, changed ${tally.changed}, missing ${tally.missing}, extra ${tally.extra}`}>
          <span className="diff-identical" title="identical">={tally.identical}</span>
          <span className="diff-changed" title="changed">~{tally.changed}</span>
          <span className="diff-missing" title="missing">−{tally.missing}</span>
          <span className="diff-extra" title="extra">+{tally.extra}</span>
        </div>
      ) : null}
      {outputs.map((port, i) => (
        <Handle key={port} type="source" position={Position.Right} id={port} style={{ top: portCentre(i, outputs.length, area) }} aria-label={`${node.name || node.id} output ${port}`} data-port={port}>
          {outputs.length > 1 ? <span className="port-label">{port}</span> : null}
        </Handle>
      ))}
    </div>
  );
}

export const FlowNodeCard = memo(Card);

export const kindColour = (kind: NodeKind) => KIND_COLOURS[kind];
