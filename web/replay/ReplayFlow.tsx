/**
 * The flow a replay ran, read-only, with each node's outputs against the originals on its card (identical,
 * changed, missing, extra). Selecting a node narrows the page's list of changes to it.
 */
import { ReactFlowProvider } from '@xyflow/react';
import type { DiffSummary } from '../../shared/api/replays.js';
import type { Flow } from '../../shared/flow.js';
import { FlowCanvas } from '../canvas/FlowCanvas.js';

interface Props {
  flow: Flow;
  tallies: Record<string, DiffSummary>;
  selected: string | null;
  onSelect(nodeId: string | null): void;
}

export function ReplayFlow({ flow, tallies, selected, onSelect }: Props) {
  return (
    <div className="replay-canvas" data-testid="replay-flow">
      <ReactFlowProvider>
        <FlowCanvas
          nodes={flow.nodes}
          edges={flow.edges}
          readOnly
          tallies={tallies}
          selectedNodes={selected === null ? [] : [selected]}
          onSelect={(nodes) => onSelect(nodes.length === 1 ? nodes[0]! : null)}
        />
      </ReactFlowProvider>
    </div>
  );
}
