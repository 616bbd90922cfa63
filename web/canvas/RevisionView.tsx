/**
 * An older revision, read-only: its canvas, where a selected node shows its settings in a read-only panel, or
 * its diff against the current flow; and the way to roll back to it.
 */
import { useMemo, useState } from 'react';
import type { Flow } from '../../shared/flow.js';
import { ConfigPanel } from '../config/ConfigPanel.js';
import { DiffView } from '../diff/DiffView.js';
import { FlowCanvas } from './FlowCanvas.js';
import { useEditor } from './store.js';

interface Props {
  revision: number;
  flow: Flow | undefined;
  loading: boolean;
  error: string | null;
  onClose(): void;
  onRollback(flow: Flow): void;
}

const noProblems: never[] = [];
const ignore = () => undefined;

export function RevisionView(props: Props) {
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const name = useEditor((s) => s.name);
  const partitionKey = useEditor((s) => s.partitionKey);
  const [mode, setMode] = useState<'view' | 'diff'>('diff');
  const [selected, setSelected] = useState<string[]>([]);
  const current = useMemo(() => ({ label: 'current', name, partitionKey, nodes, edges }), [name, partitionKey, nodes, edges]);
  const old = useMemo(
    () => (props.flow ? { label: `revision ${props.revision}`, name: props.flow.name, partitionKey: props.flow.partitionKey, nodes: props.flow.nodes, edges: props.flow.edges } : null),
    [props.flow, props.revision],
  );
  const node = selected.length === 1 ? old?.nodes.find((n) => n.id === selected[0]) : undefined;
  return (
    <div className="revision-view">
      <div className="revision-bar">
        <strong>Revision {props.revision}</strong> <span className="muted">(read-only)</span>
        <button type="button" aria-pressed={mode === 'view'} onClick={() => setMode('view')}>
          View
        </button>
        <button type="button" aria-pressed={mode === 'diff'} onClick={() => setMode('diff')}>
          Compare with current
        </button>
        <button type="button" disabled={!props.flow} onClick={() => props.flow && props.onRollback(props.flow)}>
          Roll back to revision {props.revision}
        </button>
        <button type="button" className="secondary" onClick={props.onClose}>
          Back to editing
        </button>
      </div>
      {props.loading ? <p className="muted">Loading revision…</p> : null}
      {props.error ? <p className="field-error">{props.error}</p> : null}
      {old && mode === 'view' ? (
        <div className="revision-body">
          <div className="revision-canvas">
            <FlowCanvas nodes={old.nodes} edges={old.edges} readOnly selectedNodes={selected} onSelect={setSelected} />
          </div>
          <div className="revision-side">
            {node ? (
              <ConfigPanel node={node} problems={noProblems} readOnly={`revision ${props.revision}`} onChange={ignore} />
            ) : (
              <p className="empty-state">Select a node to see its settings in revision {props.revision}.</p>
            )}
          </div>
        </div>
      ) : null}
      {old && mode === 'diff' ? <DiffView before={old} after={current} /> : null}
    </div>
  );
}
