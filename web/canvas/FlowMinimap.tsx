/**
 * The minimap: the flow's nodes as boxes coloured by kind, one SVG path per colour, and the part in view.
 * Drawn from the editor's nodes, so it follows a move when the move ends, not on every step of a drag; only the
 * viewport is read from the canvas. Drag on it to pan, scroll on it to zoom.
 */
import { XYMinimap, type XYMinimapInstance } from '@xyflow/system';
import { Panel, useStore, useStoreApi, type ReactFlowState } from '@xyflow/react';
import { memo, useEffect, useMemo, useRef } from 'react';
import type { FlowNode } from '../../shared/flow.js';
import { boxPaths, minimapView, union } from './minimap-geometry.js';
import type { Bounds } from './opening-view.js';

const SIZE = { width: 200, height: 150 };

interface InView extends Bounds {
  flowWidth: number;
  flowHeight: number;
}

const inView = (s: ReactFlowState): InView => ({
  x: -s.transform[0] / s.transform[2],
  y: -s.transform[1] / s.transform[2],
  width: s.width / s.transform[2],
  height: s.height / s.transform[2],
  flowWidth: s.width,
  flowHeight: s.height,
});

const sameView = (a: InView, b: InView) =>
  a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height && a.flowWidth === b.flowWidth && a.flowHeight === b.flowHeight;

export interface MinimapProps {
  nodes: readonly FlowNode[];
  bounds: Bounds;
  colourOf(node: FlowNode): string;
  ariaLabel?: string;
}

export const FlowMinimap = memo(function FlowMinimap({ nodes, bounds, colourOf, ariaLabel = 'Minimap' }: MinimapProps) {
  const store = useStoreApi();
  const view = useStore(inView, sameView);
  const panZoom = useStore((s) => s.panZoom);
  const svg = useRef<SVGSVGElement>(null);
  const minimap = useRef<XYMinimapInstance | null>(null);
  const box = minimapView(union(bounds, view), SIZE);
  const scale = useRef(box.scale);
  scale.current = box.scale;
  const paths = useMemo(() => boxPaths(nodes.map((n) => ({ position: n.position, colour: colourOf(n) }))), [nodes, colourOf]);

  useEffect(() => {
    if (!svg.current || !panZoom) return;
    const instance = XYMinimap({ domNode: svg.current, panZoom, getTransform: () => store.getState().transform, getViewScale: () => scale.current });
    minimap.current = instance;
    return () => {
      instance.destroy();
      minimap.current = null;
    };
  }, [panZoom, store]);

  const { flowWidth, flowHeight } = view;
  useEffect(() => {
    minimap.current?.update({ translateExtent: store.getState().translateExtent, width: flowWidth, height: flowHeight, pannable: true, zoomable: true, zoomStep: 1, inversePan: false });
  }, [panZoom, store, flowWidth, flowHeight]);

  const outer = `M${box.x - box.scale},${box.y - box.scale}h${box.width + box.scale * 2}v${box.height + box.scale * 2}h${-box.width - box.scale * 2}z`;
  const shown = `M${view.x},${view.y}h${view.width}v${view.height}h${-view.width}z`;
  return (
    <Panel position="bottom-right" className="react-flow__minimap" data-testid="rf__minimap">
      <svg width={SIZE.width} height={SIZE.height} viewBox={`${box.x} ${box.y} ${box.width} ${box.height}`} className="react-flow__minimap-svg" role="img" aria-label={ariaLabel} ref={svg}>
        {paths.map((p) => (
          <path key={p.colour} d={p.d} fill={p.colour} />
        ))}
        <path className="react-flow__minimap-mask" d={`${outer}${shown}`} fillRule="evenodd" pointerEvents="none" style={{ strokeWidth: box.scale }} />
      </svg>
    </Panel>
  );
});
