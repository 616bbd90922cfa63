/** Tells the editor that a newer revision was saved elsewhere, and offers to load it (no edits here) or merge. */
import type { Flow } from '../../shared/flow.js';

interface Props {
  newer: Flow;
  dirty: boolean;
  onLoad(flow: Flow): void;
  onMerge(flow: Flow): void;
}

export function NewerRevisionBanner({ newer, dirty, onLoad, onMerge }: Props) {
  return (
    <div className="banner" role="alert" aria-label="Newer revision">
      <span>
        Revision {newer.revision} was saved elsewhere{dirty ? ' while you were editing' : ''}.
      </span>
      {dirty ? (
        <button type="button" onClick={() => onMerge(newer)}>
          Merge…
        </button>
      ) : (
        <button type="button" onClick={() => onLoad(newer)}>
          Load revision {newer.revision}
        </button>
      )}
    </div>
  );
}
