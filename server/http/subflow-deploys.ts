/**
 * Keeps the running flows in step with their subflows: after a subflow (a flow `sf-…`) is saved, every deployed flow
 * that uses it, directly or through another subflow, is deployed again at the same revision, which compiles it with
 * the subflow's new revision and swaps it in without losing an event (drain, then swap). A flow that no longer
 * compiles keeps running as it was, and the failure is logged. A subflow that deployed flows use cannot be deleted:
 * they could not start again.
 */
import { usesSubflow } from '../compiler/subflows.js';
import type { AppDeps } from './deps.js';
import { ApiError } from './errors.js';

export interface SubflowRedeploy {
  flowId: string;
  revision: number;
  ok: boolean;
}

/** The deployed flows (with their deployed revisions) that use the subflow, directly or through another subflow. */
async function deployedUsers(store: AppDeps['store'], subflow: string) {
  const load = (id: string) => store.flows.get(id);
  const users = [];
  for (const { flowId, revision } of await store.flows.deployments()) {
    if (flowId === subflow) continue;
    const flow = await store.flows.revision(flowId, revision);
    if (flow && (await usesSubflow(flow.nodes, subflow, load))) users.push(flow);
  }
  return users;
}

/** Refuses to delete a subflow that deployed flows use: they could not start again. */
export async function subflowInUse(store: AppDeps['store'], subflow: string): Promise<ApiError | null> {
  const users = (await deployedUsers(store, subflow)).map((f) => f.id);
  if (users.length === 0) return null;
  return new ApiError(409, 'subflow_in_use', `subflow "${subflow}" is used by the deployed flows ${users.map((id) => `"${id}"`).join(', ')}: stop them or remove its nodes first`, [
    { path: 'id', message: 'used by deployed flows', flows: users },
  ]);
}

export async function redeployUsers({ store, engine, logger }: Pick<AppDeps, 'store' | 'engine' | 'logger'>, subflow: string): Promise<SubflowRedeploy[]> {
  const done: SubflowRedeploy[] = [];
  for (const flow of await deployedUsers(store, subflow)) {
    const { id: flowId, revision } = flow;
    const result = await engine.deploy(flow).catch((error: unknown) => ({ ok: false as const, errors: [{ message: String(error) }] }));
    if (result.ok) logger.info({ flowId, revision, subflow }, 'redeployed with the new subflow revision');
    else logger.warn({ flowId, revision, subflow, errors: result.errors.map((e) => e.message) }, 'not redeployed: does not compile with the new subflow revision');
    done.push({ flowId, revision, ok: result.ok });
  }
  return done;
}
