/**
 * A replay's listed changes: each output that changed, is missing or is extra, by node name, with the whole ids
 * of its input, original and replayed event (copyable; the events of the store open in the timeline, the node in
 * the editor). A row's Compare shows the original and the replayed event side by side below it.
 */
import { Fragment } from 'react';
import type { OutputChange } from '../../shared/api/replays.js';
import type { StoredEvent } from '../../shared/event.js';
import { flowNodePath, timelineEventPath } from '../app/routes.js';
import { Link } from '../app/router.js';
import { CopyId } from './CopyId.js';
import { EventCompare } from './EventCompare.js';
import { changeKey, nameOf } from './replay-view.js';

interface Props {
  flowId: string;
  changes: readonly OutputChange[];
  names: ReadonlyMap<string, string>;
  replayed: readonly StoredEvent[] | undefined;
  open: string | null;
  onOpen(key: string | null): void;
}

function StoreEvent({ id, label }: { id: string | null; label: string }) {
  if (id === null) return <span className="muted">—</span>;
  return (
    <>
      <CopyId id={id} label={label} /> <Link to={timelineEventPath(id)}>Open in timeline</Link>
    </>
  );
}

export function ChangesTable({ flowId, changes, names, replayed, open, onOpen }: Props) {
  return (
    <table className="diff-table changes-table">
      <thead>
        <tr>
          <th>status</th>
          <th>node</th>
          <th>input</th>
          <th>original</th>
          <th>replayed</th>
          <th>fields</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => {
          const key = changeKey(c);
          return (
            <Fragment key={key}>
              <tr data-change={key} aria-selected={open === key}>
                <td className={`diff-${c.status}`}>{c.status}</td>
                <td>
                  <Link to={flowNodePath(flowId, c.nodeId)} title={`node ${c.nodeId}: open in the editor`}>
                    {nameOf(names, c.nodeId)}
                  </Link>
                </td>
                <td>
                  <StoreEvent id={c.causationId} label="input event id" />
                </td>
                <td>
                  <StoreEvent id={c.originalId} label="original event id" />
                </td>
                <td>{c.replayId === null ? <span className="muted">—</span> : <CopyId id={c.replayId} label="replayed event id" />}</td>
                <td>{c.fields.map((f) => f.path).join(', ') || '—'}</td>
                <td>
                  <button type="button" className="small" aria-expanded={open === key} onClick={() => onOpen(open === key ? null : key)}>
                    {open === key ? 'Hide' : 'Compare'}
                  </button>
                </td>
              </tr>
              {open === key ? (
                <tr>
                  <td colSpan={7}>
                    <EventCompare change={c} replayed={replayed} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
