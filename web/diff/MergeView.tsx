/**
 * Settling a stale editor against the newer revision someone saved: a three-way table (the revision this editor
 * started from, mine, theirs) per node and field, a choice of side per node — and per wire where the sides hold it
 * differently — and of the flow's name and partition key where the sides differ — and the save of the result as the
 * next revision. What only one side changed is pre-chosen.
 */
import { useMemo, useState } from 'react';
import type { Flow } from '../../shared/flow.js';
import { conflictsOf, differingWires, mergeFlows, resolveMerge, type MergeChoices, type MergeSide, type NodeMerge, type Pick3, type TextMerge } from './merge.js';

interface Props {
  base: MergeSide;
  mine: MergeSide;
  theirs: Flow;
  baseRevision: number;
  busy: boolean;
  error: string | null;
  onSave(merged: MergeSide, over: number): void;
  onCancel(): void;
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

const STANDING: Record<NodeMerge['standing'], string> = {
  same: 'unchanged',
  mine: 'changed by you',
  theirs: 'changed by them',
  both: 'changed alike by both',
  conflict: 'conflict: changed by both',
};

function SidePicker({ label, value, onPick }: { label: string; value: Pick3; onPick(side: Pick3): void }) {
  return (
    <span className="merge-pick" role="radiogroup" aria-label={label}>
      {(['mine', 'theirs'] as const).map((side) => (
        <label key={side}>
          <input type="radio" checked={value === side} onChange={() => onPick(side)} aria-label={`${label}: ${side}`} /> {side === 'mine' ? 'Mine' : 'Theirs'}
        </label>
      ))}
    </span>
  );
}

/** The flow's own texts offered for a pick where mine and theirs differ, by their heading. */
const FLOW_TEXTS = [
  ['name', 'Flow name'],
  ['partitionKey', 'Partition key'],
] as const;

function TextPick({ merge, label, value, onPick }: { merge: TextMerge; label: string; value: Pick3; onPick(side: Pick3): void }) {
  const text = (t: string) => (t === '' ? <span className="muted">none</span> : <code>{t}</code>);
  return (
    <section className="merge-node" aria-label={label}>
      <h3>{label}</h3>
      <SidePicker label={label} value={value} onPick={onPick} />
      <p>
        base {text(merge.base)} · mine {text(merge.mine)} · theirs {text(merge.theirs)}
      </p>
    </section>
  );
}

export function MergeView({ base, mine, theirs, baseRevision, busy, error, onSave, onCancel }: Props) {
  const merge = useMemo(() => mergeFlows(base, mine, theirs), [base, mine, theirs]);
  const [choices, setChoices] = useState<Required<Pick<MergeChoices, 'nodes' | 'wires'>> & Pick<MergeChoices, 'name' | 'partitionKey'>>({ nodes: {}, wires: {} });
  const changed = merge.nodes.filter((n) => n.standing !== 'same' && n.standing !== 'both');
  const wires = differingWires(merge);
  const conflicts = conflictsOf(merge).length;
  const label = (n: NodeMerge) => (n.mine ?? n.theirs ?? n.base)?.name || n.id;
  const pickNode = (id: string, side: Pick3) => setChoices((c) => ({ ...c, nodes: { ...c.nodes, [id]: side } }));
  const pickWire = (key: string, side: Pick3) => setChoices((c) => ({ ...c, wires: { ...c.wires, [key]: side } }));
  const wireSide = (w: (typeof wires)[number]): Pick3 => choices.wires[w.key] ?? (w.kept === w.mine ? 'mine' : 'theirs');

  return (
    <div className="merge-view" role="region" aria-label="Merge with the newer revision">
      <div className="revision-bar">
        <strong>
          Merge: revision {baseRevision} (base) · your changes · revision {theirs.revision} (theirs)
        </strong>
        <span className="muted">
          {conflicts} conflict{conflicts === 1 ? '' : 's'}, {changed.length} node{changed.length === 1 ? '' : 's'} differ
        </span>
        <button type="button" className="primary" disabled={busy} onClick={() => onSave(resolveMerge(merge, choices), theirs.revision)}>
          {busy ? 'Saving…' : `Save merge as revision ${theirs.revision + 1}`}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Back to editing
        </button>
      </div>
      {error ? <p className="field-error">{error}</p> : null}
      <div className="merge-list">
        {FLOW_TEXTS.map(([k, label]) =>
          merge[k].mine !== merge[k].theirs ? (
            <TextPick key={k} merge={merge[k]} label={label} value={choices[k] ?? merge[k].initial} onPick={(side) => setChoices((c) => ({ ...c, [k]: side }))} />
          ) : null,
        )}
        {changed.length === 0 && wires.length === 0 ? <p className="empty-state">Nothing to settle: save to keep both sides’ changes.</p> : null}
        {changed.map((n) => (
          <section key={n.id} className={`merge-node merge-${n.standing}`} aria-label={`Node ${label(n)}`} data-node-id={n.id}>
            <h3>
              {label(n)} <span className="muted">({n.id}, {STANDING[n.standing]})</span>
            </h3>
            <SidePicker label={`Node ${n.id}`} value={choices.nodes[n.id] ?? n.initial} onPick={(side) => pickNode(n.id, side)} />
            <table className="merge-fields">
              <thead>
                <tr>
                  <th>field</th>
                  <th>base</th>
                  <th>mine</th>
                  <th>theirs</th>
                </tr>
              </thead>
              <tbody>
                {n.fields.map((f) => (
                  <tr key={f.path}>
                    <td>
                      <code>{f.path}</code>
                    </td>
                    <td>{show(f.base)}</td>
                    <td>{show(f.mine)}</td>
                    <td>{show(f.theirs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
        {wires.map((w) => (
          <section key={w.key} className="merge-node" aria-label={`Wire ${w.key}`}>
            <h3>
              Wire <code>{w.key}</code> <span className="muted">({w.mine ? 'yours has it' : 'yours has not'}, {w.theirs ? 'theirs has it' : 'theirs has not'})</span>
            </h3>
            <SidePicker label={`Wire ${w.key}`} value={wireSide(w)} onPick={(side) => pickWire(w.key, side)} />
          </section>
        ))}
      </div>
    </div>
  );
}
