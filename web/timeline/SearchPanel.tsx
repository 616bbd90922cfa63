/**
 * The structured search on the timeline: a query (or one of ShiViz's motifs, a button each) run by the server over
 * the events in scope, its matches highlighted on the diagram and stepped through — Previous / Next, "match i of n".
 * A query that cannot be read is answered here, before any request, with a caret under the place of the problem.
 * The grammar is in docs/guide.md ("Structured search").
 */
import { useEffect, useRef, useState } from 'react';
import { parseQuery } from '../../shared/analysis/query-parse.js';
import type { QueryError } from '../../shared/analysis/query-syntax.js';
import type { TimelineSearch } from '../../shared/api/timeline.js';
import { describeError } from '../api/client.js';
import { searchTimeline, type SearchScope } from './analysis-api.js';

export interface SearchResult {
  q: string;
  answer: TimelineSearch;
}

const MOTIFS = [
  { label: 'Broadcast', q: 'broadcast' },
  { label: 'Gather', q: 'gather' },
  { label: 'Request–response', q: 'request-response' },
] as const;

const TRUNCATED: Record<NonNullable<TimelineSearch['truncated']>, string> = {
  events: 'only the first events in scope were searched',
  matches: 'more matches than shown',
  work: 'the search stopped at its bound of work',
  time: 'the search stopped at its time limit',
};

export interface SearchPanelProps {
  scope: SearchScope;
  /** A search to run as the panel opens (from a link). */
  initialQuery?: string;
  current: number;
  onResult(result: SearchResult | null): void;
  onCurrent(index: number): void;
}

export function SearchPanel({ scope, initialQuery, current, onResult, onCurrent }: SearchPanelProps) {
  const [text, setText] = useState(initialQuery ?? '');
  const [problem, setProblem] = useState<QueryError | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<SearchResult | null>(null);
  const runId = useRef(0);

  const run = async (q: string) => {
    const id = ++runId.current;
    setText(q);
    setFailure(null);
    const parsed = parseQuery(q);
    if (!parsed.ok) {
      setProblem(parsed.error);
      setResult(null);
      onResult(null);
      return;
    }
    setProblem(null);
    setRunning(true);
    try {
      const answer = await searchTimeline(q, scope);
      if (id !== runId.current) return;
      const next = { q, answer };
      setResult(next);
      onResult(next);
    } catch (error) {
      if (id !== runId.current) return;
      setFailure(describeError(error));
      setResult(null);
      onResult(null);
    } finally {
      if (id === runId.current) setRunning(false);
    }
  };

  // A search named by the link runs once the scope is known (the events are in).
  const ranInitial = useRef(false);
  useEffect(() => {
    if (ranInitial.current || !initialQuery || scope.before === undefined) return;
    ranInitial.current = true;
    void run(initialQuery);
  }, [initialQuery, scope.before]);

  const clear = () => {
    runId.current++;
    setText('');
    setProblem(null);
    setFailure(null);
    setResult(null);
    setRunning(false);
    onResult(null);
  };

  const count = result?.answer.matches.length ?? 0;
  return (
    <form
      className="search-panel"
      role="search"
      aria-label="Structured search"
      onSubmit={(e) => {
        e.preventDefault();
        void run(text);
      }}
    >
      <label className="search-query">
        Structured search
        <input aria-label="Structured search query" value={text} placeholder='type = order.* -> within 3 text ~ "paid"' spellCheck={false} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit" disabled={running}>
        Search
      </button>
      {MOTIFS.map((m) => (
        <button key={m.q} type="button" onClick={() => void run(m.q)} title={`Find ShiViz's ${m.label.toLowerCase()} motif`}>
          {m.label}
        </button>
      ))}
      {result ? (
        <span className="search-steps">
          <button type="button" aria-label="Previous match" disabled={count === 0} onClick={() => onCurrent((current - 1 + count) % count)}>
            ‹
          </button>
          <span data-testid="search-count" data-count={count} data-current={count > 0 ? current : -1}>
            {count === 0 ? 'no match' : `match ${current + 1} of ${count}`}
          </span>
          <button type="button" aria-label="Next match" disabled={count === 0} onClick={() => onCurrent((current + 1) % count)}>
            ›
          </button>
          {result.answer.truncated ? <span className="muted"> · {TRUNCATED[result.answer.truncated]}</span> : null}
          <button type="button" onClick={clear}>
            Clear
          </button>
        </span>
      ) : null}
      {running ? <span className="muted">searching…</span> : null}
      {problem ? (
        <div className="search-problem status-error" role="alert" data-code={problem.code} data-position={problem.position}>
          <pre>
            {text}
            {'\n'}
            {' '.repeat(Math.min(problem.position, text.length))}^
          </pre>
          {problem.message}
        </div>
      ) : null}
      {failure ? (
        <p className="status-error" role="alert">
          search failed: {failure}
        </p>
      ) : null}
    </form>
  );
}
