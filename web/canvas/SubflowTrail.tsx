/**
 * While a subflow is open in place: the trail from the page's flow to it ("Cold room › Subflow: Tag"), each flow on
 * the way a step back to it as it was left, and "Back" to the one just left (Escape, with nothing selected, too).
 */
import { useInPlace } from './useInPlace.js';

export function SubflowTrail({ name }: { name: string }) {
  const { trail, back } = useInPlace();
  if (trail.parents.length === 0) return null;
  const last = trail.parents[trail.parents.length - 1]!;
  return (
    <nav className="subflow-trail" aria-label="Subflow trail">
      <button type="button" className="small" onClick={() => back()} title="Back to the flow this subflow was opened from, as it was (Escape)">
        ← Back
      </button>
      <ol>
        {trail.parents.map((parent, depth) => (
          <li key={parent.flowId}>
            <button type="button" className="link-button" onClick={() => back(depth)} aria-label={`Back to ${parent.name}`}>
              {parent.name}
            </button>
          </li>
        ))}
        <li aria-current="page">{name || trail.shown}</li>
      </ol>
      <span className="muted">
        Subflow opened from {last.name}: saving it updates every flow that uses it.
      </span>
    </nav>
  );
}
