/**
 * The lanes: reorder (drag a host, or up/down), collapse, hide and show again. The diagram reorders them too, a
 * lane dragged by its label (`laneMovedBefore`).
 */
import { useState } from 'react';
import { moveLane } from './layout.js';
export interface LaneState {
  order: string[];
  hidden: Set<string>;
  collapsed: Set<string>;
}

/** The whole order (`ordered`: every process, hidden ones too) with `process` moved before `before` (null: last). */
export function laneMovedBefore(ordered: readonly string[], process: string, before: string | null): string[] {
  const rest = ordered.filter((p) => p !== process);
  const at = before === null ? rest.length : rest.indexOf(before);
  return moveLane(ordered, process, at < 0 ? rest.length : at);
}


const toggle = (set: Set<string>, p: string) => {
  const next = new Set(set);
  if (next.has(p)) next.delete(p);
  else next.add(p);
  return next;
};

export function LanePanel({ processes, lanes, onChange }: { processes: string[]; lanes: LaneState; onChange(next: LaneState): void }) {
  const ordered = [...lanes.order.filter((p) => processes.includes(p)), ...processes.filter((p) => !lanes.order.includes(p))];
  const move = (p: string, by: number) => {
    const at = ordered.indexOf(p);
    const to = Math.max(0, Math.min(ordered.length - 1, at + by));
    const next = ordered.filter((q) => q !== p);
    next.splice(to, 0, p);
    onChange({ ...lanes, order: next });
  };
  const [dragged, setDragged] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const drop = (target: string) => {
    if (dragged && dragged !== target) move(dragged, ordered.indexOf(target) - ordered.indexOf(dragged));
    setDragged(null);
    setOver(null);
  };
  return (
    <details className="lane-panel">
      <summary>Lanes ({processes.length - lanes.hidden.size} of {processes.length})</summary>
      <ul>
        {ordered.map((p) => (
          <li
            key={p}
            draggable="true"
            className={over === p ? 'drop-target' : undefined}
            onDragStart={(e) => {
              e.dataTransfer.effectAllowed = 'move';
              setDragged(p);
            }}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(p);
            }}
            onDragLeave={() => setOver((o) => (o === p ? null : o))}
            onDrop={(e) => {
              e.preventDefault();
              drop(p);
            }}
            onDragEnd={() => {
              setDragged(null);
              setOver(null);
            }}
          >
            <button type="button" className="icon-button" aria-label={`Move ${p} up`} onClick={() => move(p, -1)}>
              ↑
            </button>
            <button type="button" className="icon-button" aria-label={`Move ${p} down`} onClick={() => move(p, 1)}>
              ↓
            </button>
            <label>
              <input type="checkbox" checked={!lanes.hidden.has(p)} onChange={() => onChange({ ...lanes, hidden: toggle(lanes.hidden, p) })} /> {p}
            </label>
            <button type="button" className="link-button" onClick={() => onChange({ ...lanes, collapsed: toggle(lanes.collapsed, p) })}>
              {lanes.collapsed.has(p) ? 'expand' : 'collapse'}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
