/** The flow's revisions, newest first, with time and author; choose one to view it, compare it or roll back. */
import type { RevisionInfo } from '../../shared/api/flows.js';

interface Props {
  revisions: RevisionInfo[] | undefined;
  loading: boolean;
  error: string | null;
  current: number | null;
  deployed: number | null;
  chosen: number | null;
  onChoose(revision: number | null): void;
}

export function RevisionsPanel({ revisions, loading, error, current, deployed, chosen, onChoose }: Props) {
  return (
    <aside className="revisions-panel" aria-label="Revisions">
      <header className="panel-header">
        <h2>Revisions</h2>
      </header>
      {loading ? <p className="muted">Loading revisions…</p> : null}
      {error ? <p className="field-error">{error}</p> : null}
      {revisions && revisions.length === 0 ? <p className="empty-state">No revision yet: save to create one.</p> : null}
      <ol className="revision-list">
        {revisions?.map((r) => (
          <li key={r.revision}>
            <button
              type="button"
              className={`revision${chosen === r.revision ? ' chosen' : ''}`}
              aria-pressed={chosen === r.revision}
              aria-label={`Revision ${r.revision}`}
              onClick={() => onChoose(chosen === r.revision ? null : r.revision)}
            >
              <strong>Revision {r.revision}</strong>
              {r.revision === current ? <span className="tag">latest</span> : null}
              {r.revision === deployed ? <span className="tag tag-running">running</span> : null}
              <span className="muted">
                {new Date(r.createdAt).toLocaleString()} · {r.author ?? 'anonymous'}
              </span>
            </button>
          </li>
        ))}
      </ol>
    </aside>
  );
}
