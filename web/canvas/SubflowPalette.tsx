/** The palette's subflows: every flow `sf-…`, each added as an instance with the subflow's current output ports. */
import { isSubflowId } from '../../shared/nodes/index.js';
import { describeError } from '../api/client.js';
import { getFlow } from '../api/flows.js';
import { useFlows } from '../api/hooks.js';
import { subflowPorts } from './make-subflow.js';
import { nextId } from './ids.js';
import { editorStore } from './store.js';

export async function addSubflowInstance(subflowId: string, say: (text: string) => void): Promise<void> {
  try {
    const def = await getFlow(subflowId);
    const s = editorStore.getState();
    const id = nextId('n', s.nodes.map((n) => n.id));
    const right = s.nodes.reduce((x, n) => Math.max(x, n.position.x + 240), 0);
    const instance = { id, type: 'subflow', name: def.name, process: 'main', position: { x: right, y: 0 }, config: { subflow: def.id, outputs: subflowPorts(def.nodes) } };
    s.replaceGraph([...s.nodes, instance], s.edges, [id]);
  } catch (error) {
    say(`Could not add the subflow: ${describeError(error)}`);
  }
}

export function SubflowPalette({ flowId, say }: { flowId: string; say(text: string): void }) {
  const flows = useFlows();
  const subflows = (flows.data ?? []).filter((f) => isSubflowId(f.id) && f.id !== flowId);
  return (
    <section className="palette-group" aria-label="Subflows">
      <h3>Subflows</h3>
      {subflows.length === 0 ? <p className="palette-help">None yet: select nodes and choose “Make subflow”.</p> : null}
      <ul>
        {subflows.map((f) => (
          <li key={f.id}>
            <button type="button" className="palette-item" style={{ ['--kind' as string]: '#0891b2' }} aria-label={`Add subflow ${f.name}`} title={`${f.id}, revision ${f.revision}`} onClick={() => void addSubflowInstance(f.id, say)}>
              <span className="palette-label">{f.name}</span>
              <span className="palette-help">
                {f.id} · revision {f.revision}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
