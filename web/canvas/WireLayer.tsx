/**
 * All wires as a few SVG paths in the canvas's own coordinates, used zoomed out instead of React Flow's wires:
 * a thousand wire elements would each be checked and redrawn on every step of a pan, and at that size nobody
 * aims at a single wire anyway.
 */
import { ViewportPortal } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { wirePaths, type DrawnWire, type PlacedNode } from './wire-paths.js';

export const WireLayer = memo(function WireLayer({ nodes, wires }: { nodes: readonly PlacedNode[]; wires: readonly DrawnWire[] }) {
  const paths = useMemo(() => wirePaths(nodes, wires), [nodes, wires]);
  return (
    <ViewportPortal>
      <svg className="wire-layer" aria-hidden>
        {paths.map((p) => (
          <g key={p.look} className={`react-flow__edge ${p.look}`}>
            <path className="react-flow__edge-path" d={p.d} />
          </g>
        ))}
      </svg>
    </ViewportPortal>
  );
});
