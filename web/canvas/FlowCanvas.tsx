/**
 * The React Flow canvas for a flow: nodes and wires from the given document, selection and moves reported
 * back, wires checked before they are made (a refused wire says why), node types dropped from the palette.
 * Read-only for old revisions and diffs. Zoomed far out, cards are drawn as plain boxes and wires as a few
 * paths (WireLayer); the minimap shows while part of the flow is out of view.
 */
import './canvas.css';
import {
  Background,
  ControlButton,
  Controls,
  ReactFlow,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type ReactFlowInstance,
  type ReactFlowState,
  type Viewport,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type PointerEvent } from 'react';
import type { FlowEdge, FlowNode } from '../../shared/flow.js';
import { nodeType } from '../../shared/nodes/index.js';
import type { NodeCounters } from '../../shared/api/flows.js';
import type { DiffSummary } from '../../shared/api/replays.js';
import { cardHandles } from './card-geometry.js';
import { statusLine } from './card-status.js';
import { FlowMinimap } from './FlowMinimap.js';
import { FlowNodeCard, type CardData, type CardNode, type Decoration } from './FlowNodeCard.js';
import { stepMoves, withMoves, type Positions } from './drag-moves.js';
import { NODE_HEIGHT, NODE_WIDTH } from './layout.js';
import { boundsOf, openingViewport, showsWhole } from './opening-view.js';
import { useFitView } from './use-fit-view.js';
import { portsOf } from './ports.js';
import { WireLayer } from './WireLayer.js';
import type { Wire, WireCheck } from './wiring.js';

export const PALETTE_MIME = 'application/x-causeway-node';
/** Below this zoom a card's text is a few pixels high: cards become plain boxes and the dotted grid goes. */
export const COMPACT_ZOOM = 0.35;

export interface CanvasProps {
  nodes: readonly FlowNode[];
  edges: readonly FlowEdge[];
  selectedNodes?: readonly string[];
  selectedEdges?: readonly string[];
  readOnly?: boolean;
  problems?: ReadonlyMap<string, string[]>;
  warnings?: ReadonlyMap<string, string[]>;
  decorations?: ReadonlyMap<string, Decoration>;
  edgeDecorations?: ReadonlyMap<string, Decoration>;
  counters?: Record<string, NodeCounters> | null;
  rates?: Record<string, number[]> | null;
  /** The one clock of the cards' status lines: when the counters were sampled (card-status.ts). */
  now?: number | null;
  /** A replay's outputs by node compared with the originals: identical, changed, missing, extra. */
  tallies?: Record<string, DiffSummary> | null;
  /** Called once per move: when a drag ends (not on each of its steps), or for a move by arrow key. */
  onMove?(positions: Positions): void;
  onSelect?(nodes: string[], edges: string[]): void;
  onConnect?(wire: Wire): WireCheck;
  onRefused?(reason: string): void;
  onDropType?(type: string, position: { x: number; y: number }): void;
  /** The pointer entered a node (its id), or left it (null). */
  onHover?(nodeId: string | null): void;
  /** A node was double-clicked (a subflow instance opens its subflow). */
  onOpen?(nodeId: string): void;
  /** Where the canvas looks when it opens (a flow returned to, as it was left); default: the opening view. */
  initialViewport?: Viewport | null;
}

const nodeTypes = { causeway: FlowNodeCard };
const none: string[] = [];
const noEdges: Edge[] = [];
const proOptions = { hideAttribution: true };
const multiSelectionKeys = ['Meta', 'Control'];
const minimapColour = (n: FlowNode) => nodeType(n.type)?.palette.colour ?? '#9ca3af';
const isCompact = (s: ReactFlowState) => s.transform[2] < COMPACT_ZOOM;

/** What one canvas node is drawn from: the flow node, its problems, warnings, diff mark, live figures, replay tally, status line, selection, read-only. */
type NodeInputs = readonly [
  FlowNode,
  string[] | undefined,
  string[] | undefined,
  Decoration | undefined,
  NodeCounters | undefined,
  number[] | undefined,
  DiffSummary | undefined,
  string | null,
  boolean,
  boolean,
];
/** How many of a node's inputs make its card's data (the rest are selection and read-only). */
const DATA_INPUTS = 8;

interface CachedNode {
  inputs: NodeInputs;
  node: CardNode;
}

const sameInputs = (a: NodeInputs, b: NodeInputs) => a.every((v, i) => v === b[i]);

/**
 * A canvas node; its card data is reused when only the selection or read-only flag changed. Its handles are
 * given, so React Flow wires it without drawing it first.
 */
function canvasNode(node: FlowNode, inputs: NodeInputs, previous: CachedNode | undefined): CardNode {
  const [, problems, warnings, decoration, counters, rates, tally, status, selected, readOnly] = inputs;
  const sameData = previous !== undefined && inputs.slice(0, DATA_INPUTS).every((v, i) => v === previous.inputs[i]);
  const data: CardData = sameData
    ? previous.node.data
    : { node, problems: problems ?? none, warnings: warnings ?? none, decoration: decoration ?? null, counters: counters ?? null, rates: rates ?? null, tally: tally ?? null, status };
  const handles = previous?.node.data.node.config === node.config && previous.node.data.node.type === node.type ? previous.node.handles : cardHandles(portsOf(node));
  return { id: node.id, type: 'causeway', position: node.position, initialWidth: NODE_WIDTH, initialHeight: NODE_HEIGHT, handles, data, selected, draggable: !readOnly, connectable: !readOnly };
}

export function FlowCanvas(props: CanvasProps) {
  const { nodes, edges, readOnly = false } = props;
  const flow = useReactFlow();
  const compact = useStore(isCompact);
  // The minimap shows only while part of the flow is out of view; otherwise it repeats the canvas, and redrawing
  // it on every step of a pan costs as much as the canvas itself.
  const bounds = useMemo(() => boundsOf(nodes.map((n) => n.position)), [nodes]);
  const wholeInView = useStore(
    useCallback((s: ReactFlowState) => bounds !== null && showsWhole(bounds, { x: s.transform[0], y: s.transform[1], zoom: s.transform[2] }, s), [bounds]),
  );
  const cache = useRef(new Map<string, CachedNode>());
  // Positions of the nodes being dragged. Each step goes straight into React Flow's store (as React Flow does for
  // a flow it holds itself), so neither the editor nor this component redraws per step; the drag is handed to
  // `onMove` once, when it ends.
  const pendingMoves = useRef<Positions | null>(null);
  const rfStore = useStoreApi<CardNode>();
  const box = useRef<HTMLDivElement>(null);
  // A flow that opens with nodes is fitted (or, when large, shown from its start at a readable zoom); an empty
  // canvas keeps its zoom as nodes are dropped on it.
  const [opening] = useState(() => nodes.map((n) => n.position));
  const [initial] = useState(() => props.initialViewport ?? null);
  const onInit = useCallback(
    (instance: ReactFlowInstance<CardNode>) => {
      const size = box.current?.getBoundingClientRect();
      const view = initial ?? (size ? openingViewport(opening, size) : null);
      if (view) void instance.setViewport(view);
    },
    [opening, initial],
  );

  const fit = useFitView();

  const selectedNodes = useMemo(() => new Set(props.selectedNodes ?? none), [props.selectedNodes]);
  const selectedEdges = useMemo(() => new Set(props.selectedEdges ?? none), [props.selectedEdges]);

  // Each canvas node keeps its identity until its own inputs change, so React Flow redraws only what changed.
  const rfNodes: CardNode[] = useMemo(() => {
    const next = new Map<string, CachedNode>();
    const { counters, rates, now } = props;
    const out = nodes.map((node) => {
      const live = counters?.[node.id];
      const series = rates?.[node.id];
      const inputs: NodeInputs = [
        node,
        props.problems?.get(node.id),
        props.warnings?.get(node.id),
        props.decorations?.get(node.id),
        live,
        series,
        props.tallies?.[node.id],
        live && now ? statusLine(live, series?.at(-1), now) : null,
        selectedNodes.has(node.id),
        readOnly,
      ];
      const cached = cache.current.get(node.id);
      const entry = cached && sameInputs(cached.inputs, inputs) ? cached : { inputs, node: canvasNode(node, inputs, cached) };
      next.set(node.id, entry);
      return entry.node;
    });
    cache.current = next;
    return out;
  }, [nodes, selectedNodes, props.problems, props.warnings, props.decorations, props.counters, props.rates, props.now, props.tallies, readOnly]);

  const latestNodes = useRef(rfNodes);
  useEffect(() => {
    latestNodes.current = rfNodes;
    // New nodes mid-drag (live counts, a validation answer) keep the dragged ones where the pointer has them.
    if (pendingMoves.current) rfStore.getState().setNodes(withMoves(rfNodes, pendingMoves.current));
  }, [rfNodes, rfStore]);

  const rfEdges: Edge[] = useMemo(
    () =>
      edges.map((e) => {
        const decoration = props.edgeDecorations?.get(e.id);
        return {
          id: e.id,
          source: e.source,
          sourceHandle: e.sourcePort,
          target: e.target,
          targetHandle: e.targetPort,
          selected: selectedEdges.has(e.id),
          className: decoration ? `diff-${decoration}` : undefined,
          ariaLabel: `wire from ${e.source} ${e.sourcePort} to ${e.target} ${e.targetPort}`,
        } as Edge;
      }),
    [edges, selectedEdges, props.edgeDecorations],
  );

  const { onMove, onSelect } = props;
  const onNodesChange = useCallback(
    (changes: NodeChange<CardNode>[]) => {
      let selection: Set<string> | null = null;
      const moves = changes.filter((change) => change.type === 'position');
      if (moves.length > 0 && !readOnly) {
        const step = stepMoves(pendingMoves.current, moves);
        pendingMoves.current = step.pending;
        if (step.commit) onMove?.(step.commit);
        else if (step.pending) rfStore.getState().setNodes(withMoves(latestNodes.current, step.pending));
      }
      for (const change of changes) {
        if (change.type === 'select') {
          selection ??= new Set(selectedNodes);
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        }
      }
      if (selection && onSelect) onSelect([...selection], [...selectedEdges]);
    },
    [onMove, onSelect, selectedNodes, selectedEdges, readOnly, rfStore],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let selection: Set<string> | null = null;
      for (const change of changes) {
        if (change.type === 'select') {
          selection ??= new Set(selectedEdges);
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        }
      }
      if (selection && onSelect) onSelect([...selectedNodes], [...selection]);
    },
    [onSelect, selectedNodes, selectedEdges],
  );

  const { onConnect: connect, onRefused } = props;
  const onConnect = useCallback(
    (c: Connection) => {
      if (!connect) return;
      const result = connect({ source: c.source, sourcePort: c.sourceHandle ?? 'out', target: c.target, targetPort: c.targetHandle ?? 'in' });
      if (!result.ok) onRefused?.(result.reason);
    },
    [connect, onRefused],
  );

  const { onHover } = props;
  const onNodeMouseEnter = useCallback((_: unknown, node: CardNode) => onHover?.(node.id), [onHover]);
  const onNodeMouseLeave = useCallback(() => onHover?.(null), [onHover]);
  const { onOpen } = props;
  const onNodeDoubleClick = useCallback((_: unknown, node: CardNode) => onOpen?.(node.id), [onOpen]);

  const { onDropType } = props;
  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME);
      if (!type || !onDropType || readOnly) return;
      event.preventDefault();
      onDropType(type, flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [flow, onDropType, readOnly],
  );

  const onDragOver = useCallback(
    (event: DragEvent) => {
      if (readOnly || !event.dataTransfer.types.includes(PALETTE_MIME)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    },
    [readOnly],
  );

  return (
    <div className={compact ? 'canvas canvas-compact' : 'canvas'} ref={box} onDrop={onDrop} onDragOver={onDragOver} onPointerDown={capturePanePointer} aria-label={readOnly ? 'Flow canvas (read-only)' : 'Flow canvas'} role="region">
      <ReactFlow<CardNode>
        nodes={rfNodes}
        edges={compact ? noEdges : rfEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeMouseEnter={onHover ? onNodeMouseEnter : undefined}
        onNodeMouseLeave={onHover ? onNodeMouseLeave : undefined}
        onNodeDoubleClick={onOpen ? onNodeDoubleClick : undefined}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={multiSelectionKeys}
        onlyRenderVisibleElements={!compact}
        onInit={onInit}
        minZoom={0.05}
        proOptions={proOptions}
      >
        {compact ? <WireLayer nodes={rfNodes} wires={rfEdges} /> : <Background gap={16} />}
        {wholeInView || bounds === null ? null : <FlowMinimap nodes={nodes} bounds={bounds} colourOf={minimapColour} />}
        <Controls aria-label="Zoom controls" showInteractive={false} showFitView={false}>
          <ControlButton onClick={() => fit()} title="Fit view" aria-label="Fit view" className="react-flow__controls-fitview">
            <FitIcon />
          </ControlButton>
        </Controls>
      </ReactFlow>
    </div>
  );
}

/**
 * A pan holds the pointer on the pane, so Chromium does not hit-test every node under it on each step of the pan
 * (with a thousand nodes in view, that was a third of each step's work).
 */
function capturePanePointer(event: PointerEvent<HTMLDivElement>) {
  const target = event.target as Element;
  if (event.button === 0 && target.classList.contains('react-flow__pane')) target.setPointerCapture(event.pointerId);
}

/** The corner-brackets icon of React Flow's own fit button. */
function FitIcon() {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden>
      <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
    </svg>
  );
}
