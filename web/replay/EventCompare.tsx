/**
 * One output of a replay beside the original it is compared with: both events whole (ids, type, time, payload),
 * the differing fields named. A missing output has only the original, an extra one only the replayed event.
 * The original is read from the store; the replayed one from the replay's own events.
 */
import { useQuery } from '@tanstack/react-query';
import type { OutputChange } from '../../shared/api/replays.js';
import { StoredEventSchema, type StoredEvent } from '../../shared/event.js';
import { describeError, getJson } from '../api/client.js';
import { timelineEventPath } from '../app/routes.js';
import { Link } from '../app/router.js';
import { JsonTree } from '../live/JsonTree.js';
import { CopyId } from './CopyId.js';

const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));

function Side({ title, id, event, note, onTimeline }: { title: string; id: string | null; event: StoredEvent | null | undefined; note: string | null; onTimeline: boolean }) {
  return (
    <div className="compare-side" aria-label={title} role="group">
      <h3>{title}</h3>
      {id === null ? <p className="muted">{note}</p> : null}
      {id !== null ? (
        <p>
          <CopyId id={id} label={`${title.toLowerCase()} event id`} />
          {onTimeline ? (
            <>
              {' '}
              <Link to={timelineEventPath(id)}>Open in timeline</Link>
            </>
          ) : null}
        </p>
      ) : null}
      {id !== null && event === undefined ? <p className="muted">loading…</p> : null}
      {id !== null && event === null ? <p className="muted">{note}</p> : null}
      {event ? (
        <>
          <p className="muted">
            {event.type} · {event.time} · {event.process}
          </p>
          <JsonTree value={event.data} name="data" />
        </>
      ) : null}
    </div>
  );
}

export function EventCompare({ change, replayed }: { change: OutputChange; replayed: readonly StoredEvent[] | undefined }) {
  const originalId = change.originalId;
  const original = useQuery({
    queryKey: ['event', originalId],
    queryFn: () => getJson(`/api/events/${encodeURIComponent(originalId!)}`, StoredEventSchema),
    enabled: originalId !== null,
    retry: false,
  });
  const replayedEvent = change.replayId === null || replayed === undefined ? undefined : (replayed.find((e) => e.id === change.replayId) ?? null);
  return (
    <section className="event-compare" aria-label="Original and replayed" data-testid="event-compare">
      {change.fields.length > 0 ? (
        <ul className="compare-fields">
          {change.fields.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code>: <del>{show(f.original)}</del> → <ins>{show(f.replayed)}</ins>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="compare-sides">
        <Side
          title="Original"
          id={originalId}
          event={original.isLoading ? undefined : (original.data ?? null)}
          note={original.error ? `could not be read: ${describeError(original.error)}` : 'the replay made an output the original run did not'}
          onTimeline
        />
        <Side title="Replayed" id={change.replayId} event={replayedEvent} note={change.replayId === null ? 'the replay did not make this output' : 'not among the replay’s first events'} onTimeline={false} />
      </div>
    </section>
  );
}
