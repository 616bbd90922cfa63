/**
 * For a selected subflow instance: which subflow and revision it runs (always the latest), the way to open the
 * subflow for editing in place, and — when the subflow's output ports changed since the instance was placed — taking
 * them.
 */
import type { FlowNode } from '../../shared/flow.js';
import { useFlow } from '../api/hooks.js';
import { subflowPorts } from './make-subflow.js';

interface Props {
  node: Pick<FlowNode, 'id' | 'config'>;
  onPorts(outputs: string[]): void;
  /** Opens the subflow for editing, in place of this flow (double-clicking the instance does the same). */
  onEdit(subflowId: string): void;
}

export function SubflowInfo({ node, onPorts, onEdit }: Props) {
  const subflowId = typeof node.config.subflow === 'string' ? node.config.subflow : '';
  const def = useFlow(subflowId);
  const ports = def.data ? subflowPorts(def.data.nodes) : null;
  const held = Array.isArray(node.config.outputs) ? (node.config.outputs as string[]) : ['out'];
  const stale = ports !== null && ports.join(',') !== held.join(',');
  return (
    <section className="subflow-info" aria-label="Subflow">
      {def.data ? (
        <p>
          Runs <strong>{def.data.name}</strong> ({subflowId}), its latest revision: {def.data.revision}.
        </p>
      ) : (
        <p className="muted">{def.isLoading ? 'Loading the subflow…' : `No subflow ${subflowId}.`}</p>
      )}
      <button type="button" className="small" onClick={() => onEdit(subflowId)} disabled={subflowId === ''} title="Edit the subflow here, then come back to this flow as it is (double-click the node does the same)">
        Edit subflow
      </button>
      {stale ? (
        <p>
          The subflow’s ports are now {ports.join(', ')}.{' '}
          <button type="button" onClick={() => onPorts(ports)}>
            Take its ports
          </button>
        </p>
      ) : null}
    </section>
  );
}
