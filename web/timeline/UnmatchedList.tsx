/**
 * The lines of an imported log that its regex did not cover, with their numbers: the import says what it left out
 * rather than dropping it silently. The server lists the first hundred and counts them all.
 */
import type { ImportAnswer } from '../../shared/api/imports.js';

export function UnmatchedList({ answer }: { answer: Pick<ImportAnswer, 'unmatched' | 'unmatchedCount'> }) {
  const more = answer.unmatchedCount - answer.unmatched.length;
  return (
    <div className="unmatched-lines" role="region" aria-label="Lines not imported">
      <p className="status-warning">
        {answer.unmatchedCount === 1 ? '1 line' : `${answer.unmatchedCount.toLocaleString('en')} lines`} of the log did not match the regex and were not imported:
      </p>
      <ol>
        {answer.unmatched.map((u) => (
          <li key={u.line}>
            <span className="muted">line {u.line}</span> <code>{u.text}</code>
          </li>
        ))}
      </ol>
      {more > 0 ? <p className="muted">and {more.toLocaleString('en')} more</p> : null}
    </div>
  );
}
