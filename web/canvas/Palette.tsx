/** Every node type by kind, with search and one-line help: drag one onto the canvas, or press Enter to add it. */
import { memo, useState, type ReactNode } from 'react';
import { PALETTE_MIME } from './FlowCanvas.js';
import { paletteGroups } from './palette.js';

function PaletteList({ onAdd, disabled, extra }: { onAdd(type: string): void; disabled?: boolean; extra?: ReactNode }) {
  const [search, setSearch] = useState('');
  const groups = paletteGroups(search);
  return (
    <aside className="palette" aria-label="Node palette">
      <input type="search" aria-label="Search node types" placeholder="Search nodes…" value={search} onChange={(e) => setSearch(e.target.value)} />
      {groups.length === 0 ? <p className="empty-state">No node type matches “{search}”.</p> : null}
      {groups.map((group) => (
        <section key={group.kind} className="palette-group">
          <h3>{group.label}</h3>
          <ul>
            {group.types.map((def) => (
              <li key={def.type}>
                <button
                  type="button"
                  className="palette-item"
                  style={{ ['--kind' as string]: def.palette.colour }}
                  draggable={!disabled}
                  disabled={disabled}
                  aria-label={`Add ${def.palette.label}`}
                  data-type={def.type}
                  title={def.palette.help}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(PALETTE_MIME, def.type);
                    e.dataTransfer.effectAllowed = 'copy';
                  }}
                  onClick={() => onAdd(def.type)}
                >
                  <span className="palette-label">{def.palette.label}</span>
                  <span className="palette-help">{def.palette.help}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {extra}
    </aside>
  );
}

export const Palette = memo(PaletteList);
