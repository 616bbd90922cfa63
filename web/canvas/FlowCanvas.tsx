/**
 * The React Flow canvas for a flow: nodes and wires from the given document, selection and moves reported
 * back, wires checked before they are made (a refused wire says why), node types dropped from the palette.
 * Read-only for old revisions and diffs.
 */
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnNodeDrag,
  type ReactFlowInstance,
} from '@xyflow/react';
import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import type { FlowEdge, FlowNode } from '../../shared/flow.js';
import { nodeType } from '../../shared/nodes/index.js';
import type { NodeCounters } from '../api/flows.js';
import { FlowNodeCard, type CardData, type CardNode, type Decoration } from './FlowNodeCard.js';
import { NODE_HEIGHT, NODE_WIDTH } from './layout.js';
import { openingViewport } from './opening-view.js';
import type { Wire, WireCheck } from './wiring.js';

export const PALETTE_MIME = 'application/x-causeway-node';

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
  onMove?(positions: Record<string, { x: number; y: number }>, record: boolean): void;
  onSelect?(nodes: string[], edges: string[]): void;
  onConnect?(wire: Wire): WireCheck;
  onRefused?(reason: string): void;
  onDropType?(type: string, position: { x: number; y: number }): void;
}

const nodeTypes = { causeway: FlowNodeCard };
const none: string[] = [];
const proOptions = { hideAttribution: true };
const multiSelectionKeys = ['Meta', 'Control'];
const minimapColour = (n: CardNode) => nodeType(n.data.node.type)?.palette.colour ?? '#9ca3af';

/** What one canvas node is drawn from: the flow node, its problems, warnings, diff mark, live figures, selection, read-only. */
type NodeInputs = readonly [FlowNode, string[] | undefined, string[] | undefined, Decoration | undefined, NodeCounters | undefined, number[] | undefined, boolean, boolean];

interface CachedNode {
  inputs: NodeInputs;
  node: CardNode;
}

const sameInputs = (a: NodeInputs, b: NodeInputs) => a.every((v, i) => v === b[i]);

/** A canvas node; its card data is reused when only the selection or read-only flag changed. */
function canvasNode(node: FlowNode, inputs: NodeInputs, previous: CachedNode | undefined): CardNode {
  const [, problems, warnings, decoration, counters, rates, selected, readOnly] = inputs;
  const sameData = previous !== undefined && inputs.slice(0, 6).every((v, i) => v === previous.inputs[i]);
  const data: CardData = sameData
    ? previous.node.data
    : { node, problems: problems ?? none, warnings: warnings ?? none, decoration: decoration ?? null, counters: counters ?? null, rates: rates ?? null };
  return { id: node.id, type: 'causeway', position: node.position, initialWidth: NODE_WIDTH, initialHeight: NODE_HEIGHT, data, selected, draggable: !readOnly, connectable: !readOnly };
}

export function FlowCanvas(props: CanvasProps) {
  const { nodes, edges, readOnly = false } = props;
  const flow = useReactFlow();
  const cache = useRef(new Map<string, CachedNode>());
  const dragging = useRef(false);
  const box = useRef<HTMLDivElement>(null);
  // A flow that opens with nodes is fitted (or, when large, shown from its start at a readable zoom); an empty
  // canvas keeps its zoom as nodes are dropped on it.
  const [opening] = useState(() => nodes.map((n) => n.position));
  const onInit = useCallback(
    (instance: ReactFlowInstance<CardNode>) => {
      const size = box.current?.getBoundingClientRect();
      const view = size ? openingViewport(opening, size) : null;
      if (view) void instance.setViewport(view);
    },
    [opening],
  );

  const selectedNodes = useMemo(() => new Set(props.selectedNodes ?? none), [props.selectedNodes]);
  const selectedEdges = useMemo(() => new Set(props.selectedEdges ?? none), [props.selectedEdges]);

  // Each canvas node keeps its identity until its own inputs change, so React Flow redraws only what changed.
  const rfNodes: CardNode[] = useMemo(() => {
    const next = new Map<string, CachedNode>();
    const out = nodes.map((node) => {
      const inputs: NodeInputs = [
        node,
        props.problems?.get(node.id),
        props.warnings?.get(node.id),
        props.decorations?.get(node.id),
        props.counters?.[node.id],
        props.rates?.[node.id],
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
  }, [nodes, selectedNodes, props.problems, props.warnings, props.decorations, props.counters, props.rates, readOnly]);

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
      const positions: Record<string, { x: number; y: number }> = {};
      let selection: Set<string> | null = null;
      for (const change of changes) {
        if (change.type === 'position' && change.position) positions[change.id] = change.position;
        if (change.type === 'select') {
          selection ??= new Set(selectedNodes);
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        }
      }
      if (Object.keys(positions).length > 0 && onMove && !readOnly) {
        onMove(positions, dragging.current);
        dragging.current = false;
      }
      if (selection && onSelect) onSelect([...selection], [...selectedEdges]);
    },
    [onMove, onSelect, selectedNodes, selectedEdges, readOnly],
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

  const onNodeDragStart: OnNodeDrag<CardNode> = useCallback(() => {
    dragging.current = true;
  }, []);

  const { onConnect: connect, onRefused } = props;
  const onConnect = useCallback(
    (c: Connection) => {
      if (!connect) return;
      const result = connect({ source: c.source, sourcePort: c.sourceHandle ?? 'out', target: c.target, targetPort: c.targetHandle ?? 'in' });
      if (!result.ok) onRefused?.(result.reason);
    },
    [connect, onRefused],
  );

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
    <div className="canvas" ref={box} onDrop={onDrop} onDragOver={onDragOver} aria-label={readOnly ? 'Flow canvas (read-only)' : 'Flow canvas'} role="region">
      <ReactFlow<CardNode>
        nodes={rfNodes}
        edges={rfEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStart={onNodeDragStart}
        onConnect={onConnect}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={multiSelectionKeys}
        onlyRenderVisibleElements
        onInit={onInit}
        minZoom={0.05}
        proOptions={proOptions}
      >
        <Background gap={16} />
        <MiniMap pannable zoomable ariaLabel="Minimap" nodeColor={minimapColour} />
        <Controls aria-label="Zoom controls" showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
