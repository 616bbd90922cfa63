/**
 * The flow routes of the API (docs/api.md, shared/api/flows.ts) as plain functions returning what the server
 * answers, each answer parsed by the route's schema.
 */
import { ClusterSchema, type ClusterAnswer } from '../../shared/api/cluster.js';
import {
  DeployAnswerSchema,
  FlowListSchema,
  FlowStatusSchema,
  NodeTrafficSchema,
  RevisionListSchema,
  StopAnswerSchema,
  ValidationResultSchema,
  type DeployAnswer,
  type FlowStatus,
  type FlowSummary,
  type NodeTraffic,
  type RevisionInfo,
  type ValidationResult,
} from '../../shared/api/flows.js';
import { FlowSchema, type Flow, type FlowDraft } from '../../shared/flow.js';
import { ApiFailure, call, getJson, request, sendJson } from './client.js';

const enc = encodeURIComponent;

export const listFlows = async (): Promise<FlowSummary[]> => (await getJson('/api/flows', FlowListSchema)).flows;

export const getFlow = (id: string): Promise<Flow> => getJson(`/api/flows/${enc(id)}`, FlowSchema);

export const createFlow = async (draft: FlowDraft): Promise<Flow> => {
  const { id: _id, revision: _revision, ...body } = draft;
  return (await sendJson('POST', '/api/flows', FlowSchema, body)).body;
};

/** Saves a new revision over `expectedRevision`; a newer revision on the server fails with status 412. */
export const saveFlow = async (id: string, draft: FlowDraft, expectedRevision: number): Promise<Flow> =>
  (await sendJson('PUT', `/api/flows/${enc(id)}`, FlowSchema, { ...draft, id }, { 'if-match': `"${expectedRevision}"` })).body;

export const deleteFlow = async (id: string): Promise<void> => {
  await request(`/api/flows/${enc(id)}`, { method: 'DELETE' });
};

/** Newest first. */
export const listRevisions = async (id: string): Promise<RevisionInfo[]> => (await getJson(`/api/flows/${enc(id)}/revisions`, RevisionListSchema)).revisions;

export const getRevision = (id: string, revision: number): Promise<Flow> => getJson(`/api/flows/${enc(id)}/revisions/${revision}`, FlowSchema);

export const validateFlow = async (draft: FlowDraft): Promise<ValidationResult> => (await sendJson('POST', '/api/flows/validate', ValidationResultSchema, draft)).body;

export const deployFlow = async (id: string, revision?: number): Promise<DeployAnswer> =>
  (await sendJson('POST', `/api/flows/${enc(id)}/deploy`, DeployAnswerSchema, revision === undefined ? {} : { revision })).body;

export const stopFlow = async (id: string): Promise<void> => {
  await sendJson('POST', `/api/flows/${enc(id)}/stop`, StopAnswerSchema, {});
};

export const getCluster = (): Promise<ClusterAnswer> => getJson('/api/cluster', ClusterSchema);

export const getStatus = (id: string): Promise<FlowStatus> => getJson(`/api/flows/${enc(id)}/status`, FlowStatusSchema);

/**
 * The latest revision of a flow if it is newer than `held`, else null: a conditional read (If-None-Match) that the
 * server answers 304, without a body, while `held` is still the latest.
 */
export async function newerRevision(id: string, held: number): Promise<Flow | null> {
  try {
    const answer = await call(`/api/flows/${enc(id)}`, FlowSchema, { headers: { 'if-none-match': `"${held}"` } });
    return answer.body.revision > held ? answer.body : null;
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 304) return null;
    throw error;
  }
}

/** Creates a flow under the id the draft names (a subflow's `sf-…` id is chosen by the client). */
export const createFlowWithId = async (draft: FlowDraft & { id: string }): Promise<Flow> => {
  const { revision: _revision, ...body } = draft;
  return (await sendJson('POST', '/api/flows', FlowSchema, body)).body;
};

export const getNodeTraffic = (id: string, nodeId: string): Promise<NodeTraffic> => getJson(`/api/flows/${enc(id)}/nodes/${enc(nodeId)}/traffic`, NodeTrafficSchema);
