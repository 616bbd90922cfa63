/**
 * The flows list: each flow with its revision, deployed revision and state; create, rename, duplicate, delete
 * (confirmed), and export or import flow JSON by file or clipboard. Subflows (`sf-…`) are tagged as such. While the
 * server cannot be reached the editor's outage banner says so (the list shown is the last known), and once it answers
 * again the banner goes and the list is read afresh.
 */
import { useRef, useState } from 'react';
import type { FlowSummary } from '../../shared/api/flows.js';
import { settingsOf } from '../../shared/flow.js';
import { isSubflowId } from '../../shared/nodes/index.js';
import { describeError } from '../api/client.js';
import { getFlow } from '../api/flows.js';
import { useCluster, useCreateFlow, useDeleteFlow, useFlows, useRenameFlow } from '../api/hooks.js';
import { flowPath } from '../app/routes.js';
import { Link, navigate } from '../app/router.js';
import { OutageBanner } from '../live/OutageBanner.js';
import { useReachability } from '../live/reach.js';
import { ClusterPanel } from './ClusterPanel.js';
import { exportFlow, fileName, importFlow } from './flow-file.js';

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export default function FlowsPage() {
  const flows = useFlows();
  const cluster = useCluster();
  const reach = useReachability();
  const create = useCreateFlow();
  const remove = useDeleteFlow();
  const rename = useRenameFlow();
  const [newName, setNewName] = useState('');
  const [message, setMessage] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [confirming, setConfirming] = useState<FlowSummary | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const fail = (what: string) => (error: unknown) => setMessage({ tone: 'error', text: `${what}: ${describeError(error)}` });

  const createFlow = async () => {
    const name = newName.trim() || 'Untitled flow';
    try {
      const flow = await create.mutateAsync({ name, description: '', nodes: [], edges: [] });
      setNewName('');
      navigate(flowPath(flow.id));
    } catch (error) {
      fail('Could not create the flow')(error);
    }
  };

  const importText = async (text: string) => {
    try {
      const flow = await create.mutateAsync(importFlow(text));
      setMessage({ tone: 'info', text: `Imported “${flow.name}”.` });
    } catch (error) {
      fail('Could not import')(error);
    }
  };

  const duplicate = async (id: string) => {
    try {
      const flow = await getFlow(id);
      await create.mutateAsync({ name: `${flow.name} (copy)`, description: flow.description, ...settingsOf(flow), nodes: flow.nodes, edges: flow.edges });
      setMessage({ tone: 'info', text: `Duplicated “${flow.name}”.` });
    } catch (error) {
      fail('Could not duplicate')(error);
    }
  };

  const exportTo = async (id: string, target: 'file' | 'clipboard') => {
    try {
      const flow = await getFlow(id);
      const text = exportFlow(flow);
      if (target === 'file') download(fileName(flow.name), text);
      else {
        await navigator.clipboard.writeText(text);
        setMessage({ tone: 'info', text: `Copied “${flow.name}” as JSON.` });
      }
    } catch (error) {
      fail('Could not export')(error);
    }
  };

  return (
    <section className="page flows-page" aria-labelledby="flows-title">
      {reach.reachable ? null : <OutageBanner since={reach.lostAt} />}
      <header className="page-header">
        <h1 id="flows-title">Flows</h1>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void createFlow();
          }}
        >
          <input aria-label="New flow name" placeholder="New flow name" value={newName} onChange={(e) => setNewName(e.target.value)} />
          <button type="submit" className="primary" disabled={create.isPending}>
            New flow
          </button>
        </form>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Import file
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          aria-label="Flow JSON file to import"
          hidden
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void file.text().then(importText);
          }}
        />
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard
              .readText()
              .then(importText)
              .catch(fail('Could not read the clipboard'))
          }
        >
          Import from clipboard
        </button>
      </header>
      {message ? (
        <p className={message.tone === 'error' ? 'field-error' : 'status-info'} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
      {flows.isLoading ? <p className="muted">Loading flows…</p> : null}
      {flows.error ? <p className="field-error">Could not load the flows: {describeError(flows.error)}</p> : null}
      {flows.data && flows.data.length === 0 ? (
        <div className="empty-state">
          <p>No flows yet.</p>
          <p>Name a new flow above and press “New flow”, or import a flow JSON file.</p>
        </div>
      ) : null}
      {flows.data && flows.data.length > 0 ? (
        <table className="flows-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Revision</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {flows.data.map((f) => (
              <tr key={f.id}>
                <td>
                  {renaming?.id === f.id ? (
                    <form
                      className="inline-form"
                      onSubmit={(e) => {
                        e.preventDefault();
                        rename.mutate({ id: f.id, name: renaming.name }, { onError: fail('Could not rename'), onSuccess: () => setRenaming(null) });
                      }}
                    >
                      <input aria-label={`New name for ${f.name}`} value={renaming.name} autoFocus onChange={(e) => setRenaming({ id: f.id, name: e.target.value })} />
                      <button type="submit">Save name</button>
                      <button type="button" className="secondary" onClick={() => setRenaming(null)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <>
                      <Link to={flowPath(f.id)}>{f.name}</Link>
                      {isSubflowId(f.id) ? <span className="tag" title="Placed in flows from the editor's palette">subflow</span> : null}
                    </>
                  )}
                </td>
                <td>{f.revision}</td>
                <td>
                  <span className={`state-dot ${reach.reachable ? f.status : 'unreachable'}`} aria-hidden /> {f.status === 'running' ? `running revision ${f.deployedRevision ?? '?'}` : 'stopped'}
                </td>
                <td className="row-actions">
                  <button type="button" className="small" aria-label={`Rename ${f.name}`} onClick={() => setRenaming({ id: f.id, name: f.name })}>
                    Rename
                  </button>
                  <button type="button" className="small" aria-label={`Duplicate ${f.name}`} onClick={() => void duplicate(f.id)}>
                    Duplicate
                  </button>
                  <button type="button" className="small" aria-label={`Export ${f.name} to a file`} onClick={() => void exportTo(f.id, 'file')}>
                    Export
                  </button>
                  <button type="button" className="small" aria-label={`Copy ${f.name} as JSON`} onClick={() => void exportTo(f.id, 'clipboard')}>
                    Copy JSON
                  </button>
                  <button type="button" className="small danger" aria-label={`Delete ${f.name}`} onClick={() => setConfirming(f)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {cluster.data ? <ClusterPanel cluster={cluster.data} flowNames={new Map((flows.data ?? []).map((f) => [f.id, f.name]))} /> : null}
      {confirming ? (
        <div className="overlay" role="dialog" aria-modal="true" aria-label={`Delete ${confirming.name}?`}>
          <div className="dialog">
            <h2>Delete “{confirming.name}”?</h2>
            <p>The flow and all its revisions are deleted{confirming.status === 'running' ? ', and it is stopped first' : ''}. Its stored events stay.</p>
            <button
              type="button"
              className="danger"
              onClick={() => remove.mutate(confirming.id, { onError: fail('Could not delete'), onSettled: () => setConfirming(null) })}
            >
              Delete
            </button>
            <button type="button" className="secondary" autoFocus onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
