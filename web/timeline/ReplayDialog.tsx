/** Replaying a brushed range or a correlation chain: flow, revision, dry-run or live, speed. */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ReplayRequestInput } from '../../shared/api/replays.js';
import { describeError } from '../api/client.js';
import { listRevisions } from '../api/flows.js';
import { useFlows } from '../api/hooks.js';
import { navigate } from '../app/router.js';
import { startReplay } from './api.js';

export interface ReplayScope {
  from?: string;
  to?: string;
  correlationId?: string;
}

export function ReplayDialog({ scope, onClose }: { scope: ReplayScope; onClose(): void }) {
  const flows = useFlows();
  const [flowId, setFlowId] = useState('');
  const chosen = flowId || flows.data?.[0]?.id || '';
  const revisions = useQuery({ queryKey: ['flow-revisions', chosen], queryFn: () => listRevisions(chosen), enabled: chosen !== '' });
  const [revision, setRevision] = useState('');
  const [mode, setMode] = useState<'dry-run' | 'live'>('dry-run');
  const [speed, setSpeed] = useState('max');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(null);
    const body: ReplayRequestInput = {
      flowId: chosen,
      mode,
      speed: speed === 'max' ? 'max' : Number(speed),
      ...(revision ? { revision: Number(revision) } : {}),
      ...(scope.from ? { from: scope.from } : {}),
      ...(scope.to ? { to: scope.to } : {}),
      ...(scope.correlationId ? { filter: { correlationId: scope.correlationId } } : {}),
    };
    try {
      navigate(`/replays/${encodeURIComponent(await startReplay(body))}`);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };

  return (
    <div className="overlay" role="presentation">
      <div className="dialog" role="dialog" aria-modal="true" aria-label="Replay">
        <h2>Replay</h2>
        <p className="muted">
          {scope.correlationId ? `The correlation chain ${scope.correlationId}` : `Events from ${scope.from ?? 'the start'} to ${scope.to ?? 'now'}`}
        </p>
        <label className="field">
          Flow
          <select value={chosen} onChange={(e) => setFlowId(e.target.value)} aria-label="Flow">
            {(flows.data ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Revision
          <select value={revision} onChange={(e) => setRevision(e.target.value)} aria-label="Revision">
            <option value="">latest</option>
            {(revisions.data ?? []).map((r) => (
              <option key={r.revision} value={r.revision}>
                {r.revision}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field">
          <legend>Sinks</legend>
          <label>
            <input type="radio" name="mode" checked={mode === 'dry-run'} onChange={() => setMode('dry-run')} /> dry-run (recorded, nothing sent)
          </label>
          <label>
            <input type="radio" name="mode" checked={mode === 'live'} onChange={() => setMode('live')} /> live (sinks send; needs admin)
          </label>
        </fieldset>
        <label className="field">
          Speed
          <select value={speed} onChange={(e) => setSpeed(e.target.value)} aria-label="Speed">
            <option value="max">as fast as possible</option>
            <option value="1">×1</option>
            <option value="10">×10</option>
            <option value="100">×100</option>
          </select>
        </label>
        {error ? <p className="status-error">{error}</p> : null}
        <div className="row-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={!chosen || busy} onClick={() => void submit()}>
            Run replay
          </button>
        </div>
      </div>
    </div>
  );
}
