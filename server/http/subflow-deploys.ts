/**
 * Keeps the running flows in step with their subflows: after a subflow (a flow `sf-…`) is saved, every deployed flow
 * that uses it, directly or through another subflow, is deployed again at the same revision, which compiles it with
 * the subflow's new revision and swaps it in without losing an event (drain, then swap). A flow that no longer
 * compiles keeps running as it was, and the failure is logged and answered.
 */
import { usesSubflow } from '../compiler/subflows.js';
import type { AppDeps } from './deps.js';

export interface SubflowRedeploy {
  flowId: string;
  revision: number;
  ok: boolean;
}

export async function redeployUsers({ store, engine, logger }: Pick<AppDeps, 'store' | 'engine' | 'logger'>, subflow: string): Promise<SubflowRedeploy[]> {
  const load = (id: string) => store.flows.get(id);
  const done: SubflowRedeploy[] = [];
  for (const { flowId, revision } of await store.flows.deployments()) {
    if (flowId === subflow) continue;
    const flow = await store.flows.revision(flowId, revision);
    if (!flow || !(await usesSubflow(flow.nodes, subflow, load))) continue;
    const result = await engine.deploy(flow).catch((error: unknown) => ({ ok: false as const, errors: [{ message: String(error) }] }));
    if (result.ok) logger.info({ flowId, revision, subflow }, 'redeployed with the new subflow revision');
    else logger.warn({ flowId, revision, subflow, errors: result.errors.map((e) => e.message) }, 'not redeployed: does not compile with the new subflow revision');
    done.push({ flowId, revision, ok: result.ok });
  }
  return done;
}
