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
import { getJson, request, sendJson } from './client.js';

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

export const getNodeTraffic = (id: string, nodeId: string): Promise<NodeTraffic> => getJson(`/api/flows/${enc(id)}/nodes/${enc(nodeId)}/traffic`, NodeTrafficSchema);
