/** A diff between two revisions: the read-only canvas with changes highlighted, and the list of changes. */
import { ReactFlowProvider } from '@xyflow/react';
import { useMemo } from 'react';
import type { FlowEdge, FlowNode } from '../../shared/flow.js';
import { FlowCanvas } from '../canvas/FlowCanvas.js';
import { diffFlows, isEmptyDiff, type FieldChange } from './flow-diff.js';
import { diffOverlay } from './overlay.js';

interface Side {
  label: string;
  name: string;
  partitionKey?: string | undefined;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function FieldRow({ change }: { change: FieldChange }) {
  return (
    <li>
      <code>{change.path}</code>: <del>{show(change.before)}</del> → <ins>{show(change.after)}</ins>
    </li>
  );
}

export function DiffView({ before, after }: { before: Side; after: Side }) {
  const diff = useMemo(() => diffFlows(before, after), [before, after]);
  const overlay = useMemo(() => diffOverlay(before, after, diff), [before, after, diff]);
  const name = (id: string) => [...after.nodes, ...before.nodes].find((n) => n.id === id)?.name || id;
  return (
    <div className="diff-view" aria-label={`Changes from ${before.label} to ${after.label}`} role="region">
      <div className="diff-canvas">
        <ReactFlowProvider>
          <FlowCanvas nodes={overlay.nodes} edges={overlay.edges} readOnly decorations={overlay.nodeMarks} edgeDecorations={overlay.edgeMarks} />
        </ReactFlowProvider>
      </div>
      <section className="diff-list" aria-label="List of changes">
        <h3>
          {before.label} → {after.label}
        </h3>
        <p className="legend">
          <span className="legend-added">added</span> <span className="legend-removed">removed</span> <span className="legend-changed">changed</span>
        </p>
        {isEmptyDiff(diff) ? <p className="empty-state">No differences{diff.movedNodes.length ? ' (only positions moved)' : ''}.</p> : null}
        {diff.renamed ? (
          <p>
            Renamed: <del>{diff.renamed.before}</del> → <ins>{diff.renamed.after}</ins>
          </p>
        ) : null}
        {diff.partitionKey ? (
          <p>
            Partition key: {diff.partitionKey.before === null ? <span className="muted">none</span> : <del>{diff.partitionKey.before}</del>} →{' '}
            {diff.partitionKey.after === null ? <span className="muted">none</span> : <ins>{diff.partitionKey.after}</ins>}
          </p>
        ) : null}
        {diff.addedNodes.length ? <p className="diff-added">Added nodes: {diff.addedNodes.map(name).join(', ')}</p> : null}
        {diff.removedNodes.length ? <p className="diff-removed">Removed nodes: {diff.removedNodes.map(name).join(', ')}</p> : null}
        {diff.changedNodes.map((c) => (
          <div key={c.id} className="diff-changed">
            <p>Changed {name(c.id)}:</p>
            <ul>
              {c.fields.map((f) => (
                <FieldRow key={f.path} change={f} />
              ))}
            </ul>
          </div>
        ))}
        {diff.addedEdges.length ? <p className="diff-added">Added wires: {diff.addedEdges.map((e) => `${name(e.source)} → ${name(e.target)}`).join(', ')}</p> : null}
        {diff.removedEdges.length ? <p className="diff-removed">Removed wires: {diff.removedEdges.map((e) => `${name(e.source)} → ${name(e.target)}`).join(', ')}</p> : null}
      </section>
    </div>
  );
}
