/** In a subflow opened from a flow (`?from=<flow id>`): the way back to that flow. */
import { Link, useLocation } from '../app/router.js';

export function BackToFlow() {
  const from = useLocation().search.get('from');
  if (!from) return null;
  return (
    <Link className="back-to-flow" to={`/flows/${encodeURIComponent(from)}`}>
      ← Back to the flow
    </Link>
  );
}
