/** "Use in test" on the timeline's inspector: keeps the event for the Test panel of whichever flow is opened next. */
import { useState } from 'react';
import { pickEvent } from './test-sets.js';

export function UseInTest({ event }: { event: { id: string; type: string } }) {
  const [picked, setPicked] = useState<string | null>(null);
  const done = picked === event.id;
  return (
    <p>
      <button type="button" className="small" disabled={done} onClick={() => void pickEvent(event).then(() => setPicked(event.id))}>
        {done ? 'Kept for a test' : 'Use in test'}
      </button>{' '}
      {done ? <span className="muted">open a flow’s Test panel to add it</span> : null}
    </p>
  );
}
