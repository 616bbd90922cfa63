/**
 * Re-driving the selected dead letters: a revision (default the latest), a dry-run first — its diff and each
 * letter's outcome —, and only after it, for the same letters and revision, the live re-drive. The outcome of each
 * run is handed up, so the list shows it beside each letter.
 */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { RedriveResult } from '../../shared/api/deadletters.js';
import { describeError } from '../api/client.js';
import { Link } from '../app/router.js';
import { redrive } from './api.js';

interface Props {
  /** The selected letters' ids, all of one flow (else `flows` says how many). */
  ids: string[];
  flows: number;
  onResult: (result: RedriveResult) => void;
}

const keyOf = (ids: string[], revision: string) => `${[...ids].sort().join(',')}@${revision}`;

export function RedrivePanel({ ids, flows, onResult }: Props) {
  const [revision, setRevision] = useState('');
  const [dryRun, setDryRun] = useState<{ key: string; result: RedriveResult } | null>(null);
  const [live, setLive] = useState<RedriveResult | null>(null);
  const key = keyOf(ids, revision);
  const body = (mode: 'dry-run' | 'live') => ({ deadLetters: ids, mode, ...(revision ? { revision: Number(revision) } : {}) });
  const run = useMutation({
    mutationFn: (mode: 'dry-run' | 'live') => redrive(body(mode)),
    onSuccess: (result) => {
      if (result.mode === 'dry-run') setDryRun({ key, result });
      else setLive(result);
      onResult(result);
    },
  });
  if (ids.length === 0) return <p className="muted">Select dead letters to re-drive them.</p>;
  if (flows > 1) return <p className="status-error">Choose dead letters of one flow: a re-drive runs them through one flow’s revision.</p>;
  const tried = dryRun?.key === key ? dryRun.result : null;
  const redriven = (r: RedriveResult) => r.entries.filter((e) => e.outcome === 'redriven').length;
  return (
    <section className="redrive-panel" aria-label="Re-drive">
      <label>
        Revision{' '}
        <input type="number" min={1} value={revision} placeholder="latest" onChange={(e) => setRevision(e.target.value)} aria-label="Revision" style={{ width: 80 }} />
      </label>
      <button type="button" onClick={() => run.mutate('dry-run')} disabled={run.isPending}>
        Dry-run re-drive ({ids.length})
      </button>
      <button type="button" onClick={() => run.mutate('live')} disabled={run.isPending || !tried} title={tried ? undefined : 'Run a dry-run of these dead letters first'}>
        Re-drive live
      </button>
      {run.isPending ? <span className="muted"> Running…</span> : null}
      {run.error ? <p className="status-error">{describeError(run.error)}</p> : null}
      {tried ? (
        <p data-testid="redrive-dry-run">
          Dry-run through revision {tried.revision}: {redriven(tried)} of {tried.entries.length} would be re-driven · diff{' '}
          <span className="diff-identical">identical {tried.replay.diff.identical}</span> <span className="diff-changed">changed {tried.replay.diff.changed}</span>{' '}
          <span className="diff-missing">missing {tried.replay.diff.missing}</span> <span className="diff-extra">extra {tried.replay.diff.extra}</span> ·{' '}
          <Link to={`/replays/${encodeURIComponent(tried.replay.id)}`}>see the diff</Link>
        </p>
      ) : null}
      {live ? (
        <p data-testid="redrive-live">
          Re-driven live through revision {live.revision}: {redriven(live)} of {live.entries.length} re-driven, {live.stored} events stored.
        </p>
      ) : null}
    </section>
  );
}
