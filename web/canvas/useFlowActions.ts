/**
 * Save, deploy, stop and roll back for the flow in the editor. A save over a newer server revision becomes a
 * conflict the user resolves (reload theirs, overwrite with ours, or merge: useMerge.ts); a refused deploy hands back its compile
 * errors. A failure because the server could not be reached is cleared once it answers again.
 */
import { useEffect, useState } from 'react';
import { DeployRefusalSchema, type Problem } from '../../shared/api/flows.js';
import { settingsOf, type Flow } from '../../shared/flow.js';
import { ApiFailure, describeError } from '../api/client.js';
import { deployFlow, getFlow, saveFlow, stopFlow } from '../api/flows.js';
import { useRefreshFlow } from '../api/hooks.js';
import { discardDraft } from '../drafts/drafts.js';
import { isUnreachable, onRecovered } from '../live/reach.js';
import { saveBlocker } from './problems.js';
import { draftOf, editorStore } from './store.js';

export type Busy = 'save' | 'deploy' | 'stop' | 'rollback' | null;

export interface Conflict {
  serverRevision: number | null;
}

export interface FlowActions {
  busy: Busy;
  /** `outage`: the server could not be reached; the message goes once it can. */
  message: { tone: 'info' | 'error'; text: string; outage?: boolean } | null;
  conflict: Conflict | null;
  save(): Promise<Flow | null>;
  deploy(): Promise<void>;
  stop(): Promise<void>;
  rollback(flow: Flow): Promise<void>;
  reloadTheirs(): Promise<void>;
  overwrite(): Promise<void>;
  /** The conflict was settled otherwise (a merge saved). */
  settled(): void;
  dismiss(): void;
}

/** A refused deploy's compile errors: the answer's `errors`, or else its error details. */
export function deployErrors(error: ApiFailure): Problem[] {
  const refusal = DeployRefusalSchema.safeParse(error.body);
  if (refusal.success && refusal.data.errors) return refusal.data.errors;
  return error.details.map((d) => ({
    code: typeof d.code === 'string' ? d.code : error.code,
    nodeId: typeof d.nodeId === 'string' ? d.nodeId : null,
    path: d.path ?? '',
    message: d.message,
  }));
}

export function useFlowActions(flowId: string, onCompileErrors: (errors: Problem[], warnings?: Problem[]) => void): FlowActions {
  const [busy, setBusy] = useState<Busy>(null);
  const [message, setMessage] = useState<FlowActions['message']>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const refresh = useRefreshFlow();
  useEffect(() => onRecovered(() => setMessage((m) => (m?.outage ? null : m))), []);
  const failed = (what: string, error: unknown): FlowActions['message'] => ({ tone: 'error', text: `Could not ${what}: ${describeError(error)}`, outage: isUnreachable(error) });

  const saved = async (flow: Flow) => {
    editorStore.getState().markSaved(flow);
    await discardDraft(flowId);
    refresh(flowId);
    setMessage({ tone: 'info', text: `Saved revision ${flow.revision}.` });
    return flow;
  };

  const save = async (): Promise<Flow | null> => {
    const s = editorStore.getState();
    if (s.baseRevision === null) return null;
    const blocked = saveBlocker(s.invalid, new Map(s.nodes.map((n) => [n.id, n.name || n.id])));
    if (blocked) {
      setMessage({ tone: 'error', text: `Not saved: ${blocked}` });
      return null;
    }
    setBusy('save');
    try {
      return await saved(await saveFlow(flowId, draftOf(s), s.baseRevision));
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 412) {
        const actual = (error.details[0]?.actualRevision as number | undefined) ?? null;
        setConflict({ serverRevision: actual });
      } else setMessage(failed('save', error));
      return null;
    } finally {
      setBusy(null);
    }
  };

  const deploy = async () => {
    const s = editorStore.getState();
    let revision = s.baseRevision;
    if (s.dirty) {
      const flow = await save();
      if (!flow) return;
      revision = flow.revision;
    }
    setBusy('deploy');
    try {
      const answer = await deployFlow(flowId, revision ?? undefined);
      refresh(flowId);
      const warned = answer.warnings.length;
      setMessage({ tone: 'info', text: `Deployed revision ${answer.deployedRevision}${warned ? ` with ${warned} warning${warned === 1 ? '' : 's'} (see Problems)` : ''}.` });
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 422) {
        const errors = deployErrors(error);
        const refusal = DeployRefusalSchema.safeParse(error.body);
        onCompileErrors(errors, refusal.success ? refusal.data.warnings : undefined);
        setMessage({ tone: 'error', text: `Not deployed: ${errors.length} compile error${errors.length === 1 ? '' : 's'} (marked on the nodes).` });
      } else setMessage(failed('deploy', error));
    } finally {
      setBusy(null);
    }
  };

  const stop = async () => {
    setBusy('stop');
    try {
      await stopFlow(flowId);
      refresh(flowId);
      setMessage({ tone: 'info', text: 'Stopped.' });
    } catch (error) {
      setMessage(failed('stop', error));
    } finally {
      setBusy(null);
    }
  };

  const rollback = async (old: Flow) => {
    const s = editorStore.getState();
    if (s.baseRevision === null) return;
    setBusy('rollback');
    try {
      const flow = await saveFlow(flowId, { name: old.name, description: old.description, ...settingsOf(old), nodes: old.nodes, edges: old.edges }, s.baseRevision);
      editorStore.getState().load(flow);
      await saved(flow);
      setMessage({ tone: 'info', text: `Rolled back to revision ${old.revision} (saved as revision ${flow.revision}).` });
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 412) setConflict({ serverRevision: null });
      else setMessage(failed('roll back', error));
    } finally {
      setBusy(null);
    }
  };

  const reloadTheirs = async () => {
    const flow = await getFlow(flowId);
    editorStore.getState().load(flow);
    await discardDraft(flowId);
    refresh(flowId);
    setConflict(null);
    setMessage({ tone: 'info', text: `Reloaded revision ${flow.revision} from the server; your changes were dropped.` });
  };

  const overwrite = async () => {
    const latest = await getFlow(flowId);
    setBusy('save');
    try {
      await saved(await saveFlow(flowId, draftOf(editorStore.getState()), latest.revision));
      setConflict(null);
    } catch (error) {
      setMessage(failed('save', error));
    } finally {
      setBusy(null);
    }
  };

  return { busy, message, conflict, save, deploy, stop, rollback, reloadTheirs, overwrite, settled: () => setConflict(null), dismiss: () => setMessage(null) };
}
