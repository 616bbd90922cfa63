/** The flow routes of the API (see API.md), as plain functions returning typed values. */
import type { Flow, FlowDraft } from '../../shared/flow.js';
import { getJson, request, sendJson } from './client.js';

export interface FlowSummary {
  id: string;
  name: string;
  revision: number;
  deployedRevision: number | null;
  status: 'running' | 'stopped';
}

export interface RevisionInfo {
  revision: number;
  createdAt: string | null;
  author: string | null;
}

export interface Problem {
  nodeId: string | null;
  path: string;
  message: string;
}

export interface ValidateResult {
  ok: boolean;
  errors: Problem[];
  warnings: Problem[];
}

export interface NodeCounters {
  in: number;
  out: number;
  errors: number;
  queued: number;
}

export interface FlowStatus {
  state: 'running' | 'stopped';
  revision: number | null;
  nodes: Record<string, NodeCounters>;
}

const enc = encodeURIComponent;

export const listFlows = async (): Promise<FlowSummary[]> => (await getJson<{ flows: FlowSummary[] }>('/api/flows')).flows;

export const getFlow = (id: string): Promise<Flow> => getJson<Flow>(`/api/flows/${enc(id)}`);

export const createFlow = async (draft: FlowDraft): Promise<Flow> => {
  const { id: _id, revision: _revision, ...body } = draft;
  return (await sendJson<Flow>('POST', '/api/flows', body)).body;
};

/** Saves a new revision over `expectedRevision`; a newer revision on the server fails with status 412. */
export const saveFlow = async (id: string, draft: FlowDraft, expectedRevision: number): Promise<Flow> =>
  (await sendJson<Flow>('PUT', `/api/flows/${enc(id)}`, { ...draft, id }, { 'if-match': `"${expectedRevision}"` })).body;

export const deleteFlow = async (id: string): Promise<void> => {
  await request(`/api/flows/${enc(id)}`, { method: 'DELETE' });
};

function toRevisionInfo(raw: Record<string, unknown>): RevisionInfo {
  const time = raw.createdAt ?? raw.created ?? raw.time ?? raw.savedAt ?? null;
  const author = raw.author ?? raw.authorName ?? raw.token ?? null;
  return { revision: Number(raw.revision), createdAt: typeof time === 'string' ? time : null, author: typeof author === 'string' ? author : null };
}

export const listRevisions = async (id: string): Promise<RevisionInfo[]> => {
  const body = await getJson<unknown>(`/api/flows/${enc(id)}/revisions`);
  const list = Array.isArray(body) ? body : ((body as { revisions?: unknown[] } | null)?.revisions ?? []);
  return (list as Record<string, unknown>[]).map(toRevisionInfo).sort((a, b) => b.revision - a.revision);
};

export const getRevision = (id: string, revision: number): Promise<Flow> => getJson<Flow>(`/api/flows/${enc(id)}/revisions/${revision}`);

export const validateFlow = async (draft: FlowDraft): Promise<ValidateResult> => {
  const body = (await sendJson<Partial<ValidateResult>>('POST', '/api/flows/validate', draft)).body;
  return { ok: Boolean(body.ok), errors: body.errors ?? [], warnings: body.warnings ?? [] };
};

export const deployFlow = async (id: string, revision?: number): Promise<{ deployedRevision: number }> =>
  (await sendJson<{ deployedRevision: number }>('POST', `/api/flows/${enc(id)}/deploy`, revision === undefined ? {} : { revision })).body;

export const stopFlow = async (id: string): Promise<void> => {
  await sendJson('POST', `/api/flows/${enc(id)}/stop`, {});
};

export const getStatus = async (id: string): Promise<FlowStatus> => {
  const body = await getJson<Partial<FlowStatus>>(`/api/flows/${enc(id)}/status`);
  return { state: body.state ?? 'stopped', revision: body.revision ?? null, nodes: body.nodes ?? {} };
};
