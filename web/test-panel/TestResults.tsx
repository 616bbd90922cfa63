/**
 * What a flow test saw: a row per node with what it received, emitted and failed on (choosing one selects it on the
 * canvas), the chosen node's events and errors in full, and the effects the sinks recorded instead of sending.
 * The chosen node is the one clicked here, else the one selected on the canvas.
 */
import type { FlowTestResult, TestNodeResult } from '../../shared/api/flow-tests.js';
import type { StoredEvent } from '../../shared/event.js';
import { editorStore, useEditor } from '../canvas/store.js';
import { JsonTree } from '../live/JsonTree.js';
import { testPanelStore, useTestPanel } from './test-store.js';

function EventItem({ event, port }: { event: StoredEvent; port?: string }) {
  return (
    <li className="test-event">
      <div className="test-event-meta">
        <span className="debug-type">{event.type}</span>
        <span className="muted">{event.id}</span>
        {port ? <span className="muted">port {port}</span> : null}
      </div>
      <JsonTree value={event.data} name="data" />
    </li>
  );
}

/** A recorded body as the JSON it holds, or as its text. */
function bodyOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function more(shown: number, total: number) {
  return total > shown ? <p className="muted">the first {shown} of {total}</p> : null;
}

function NodeDetails({ id, name, node }: { id: string; name: string; node: TestNodeResult }) {
  return (
    <div className="test-details" data-testid={`test-details-${id}`}>
      <h3>{name}</h3>
      <section aria-label={`${name} received`}>
        <h4>Received ({node.counts.received})</h4>
        <ol>{node.received.map((e, i) => <EventItem key={i} event={e} />)}</ol>
        {more(node.received.length, node.counts.received)}
      </section>
      <section aria-label={`${name} emitted`}>
        <h4>Emitted ({node.counts.emitted})</h4>
        <ol>{node.emitted.map((o, i) => <EventItem key={i} event={o.event} port={o.port} />)}</ol>
        {more(node.emitted.length, node.counts.emitted)}
      </section>
      <section aria-label={`${name} errors`}>
        <h4>Errors ({node.counts.errors})</h4>
        <ol>
          {node.errors.map((e, i) => (
            <li key={i} className="test-error">
              <span className="muted">{e.eventId}</span> <code>{e.code}</code> {e.message}
            </li>
          ))}
        </ol>
        {more(node.errors.length, node.counts.errors)}
      </section>
    </div>
  );
}

export function TestResults({ result, names }: { result: FlowTestResult | null; names: ReadonlyMap<string, string> }) {
  const chosen = useTestPanel((s) => s.chosen);
  const selected = useEditor((s) => (s.selectedNodes.length === 1 ? s.selectedNodes[0]! : null));
  if (!result) return <div className="test-results empty-state">Run a test to see what each node receives and emits.</div>;
  const ids = Object.keys(result.nodes);
  const shown = [selected, chosen].find((id) => id !== null && result.nodes[id] !== undefined) ?? null;
  const choose = (id: string) => {
    testPanelStore.getState().choose(id);
    editorStore.getState().select([id]);
  };
  return (
    <div className="test-results" aria-label="Test results">
      <p className="test-summary" data-testid="test-summary">
        {result.inputs} event{result.inputs === 1 ? '' : 's'} in {result.durationMs} ms · {result.effects.length} effect{result.effects.length === 1 ? '' : 's'} recorded, not sent
        {result.stopped ? <span className="status-error"> · {result.stopped}</span> : null}
      </p>
      <div className="test-results-body">
        <table className="test-nodes">
          <thead>
            <tr>
              <th>Node</th>
              <th>received</th>
              <th>emitted</th>
              <th>errors</th>
            </tr>
          </thead>
          <tbody>
            {ids.map((id) => {
              const { counts } = result.nodes[id]!;
              return (
                <tr key={id} className={`${id === shown ? 'chosen' : ''} ${counts.errors > 0 ? 'has-errors' : ''}`} data-testid={`test-node-${id}`}>
                  <td>
                    <button type="button" className="link-button" onClick={() => choose(id)}>
                      {names.get(id) ?? id}
                    </button>
                  </td>
                  <td>{counts.received}</td>
                  <td>{counts.emitted}</td>
                  <td>{counts.errors}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {shown ? <NodeDetails id={shown} name={names.get(shown) ?? shown} node={result.nodes[shown]!} /> : <p className="muted">Choose a node to see its events.</p>}
        <div className="test-effects" aria-label="Recorded effects">
          <h3>Effects, recorded not sent ({result.effects.length})</h3>
          <ol>
            {result.effects.map((effect, i) => (
              <li key={i}>
                <code>{effect.kind}</code> at {names.get(effect.nodeId) ?? effect.nodeId}: {effect.kind === 'http-request' ? `${effect.method} ${effect.url}` : `${effect.topic} on ${effect.url}`}
                <JsonTree value={bodyOf(effect.kind === 'http-request' ? effect.body : effect.payload)} name="body" />
              </li>
            ))}
          </ol>
          {result.debug.length > 0 ? <p className="muted">{result.debug.length} debug message{result.debug.length === 1 ? '' : 's'} (see each debug node’s received events)</p> : null}
        </div>
      </div>
    </div>
  );
}
