/**
 * How a replay reads in the list and on its page: its range, revision, mode, state and who started it, as short
 * text. Pure, so the list, the page and their tests share one wording.
 */
import type { ReplaySummary } from '../../shared/api/replays.js';

type Described = Pick<ReplaySummary, 'from' | 'to' | 'revision' | 'mode' | 'state' | 'startedBy' | 'flowName' | 'flowId' | 'filter'>;

export const STATE_LABELS: Record<ReplaySummary['state'], string> = { running: 'Running', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' };

/** A time of the range as the user reads it (UTC, to the second); an open end says so. */
function instant(at: string | null, open: string): string {
  if (at === null) return open;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? at : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

/** `2026-01-05 09:00:00 UTC → now`; a correlation chain or type filter follows the range. */
export function rangeText(r: Pick<Described, 'from' | 'to' | 'filter'>): string {
  const range = `${instant(r.from, 'the start')} → ${instant(r.to, 'now')}`;
  const filter = r.filter ? Object.entries(r.filter).map(([k, v]) => `${k} ${v}`) : [];
  return filter.length > 0 ? `${range} · ${filter.join(', ')}` : range;
}

/** `revision 3`, or `latest revision` before the run has read which one it is. */
export const revisionText = (r: Pick<Described, 'revision'>): string => (r.revision === null ? 'latest revision' : `revision ${r.revision}`);

export const modeText = (r: Pick<Described, 'mode'>): string => (r.mode === 'dry-run' ? 'dry-run' : 'live');

/** The token's name; without tokens nobody is named. */
export const startedByText = (r: Pick<Described, 'startedBy'>): string => r.startedBy ?? '—';

/** The flow's name when the replay started; its id when the replay was saved without one. */
export const flowText = (r: Pick<Described, 'flowName' | 'flowId'>): string => r.flowName || r.flowId;
