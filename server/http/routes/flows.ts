/**
 * Flows: CRUD with revisions (ETag / If-Match, and If-None-Match for a cheap look for newer ones), validation,
 * deploy, stop and status. Saving a subflow (`sf-…`) redeploys the running flows that use it.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { DeployRequestSchema } from '../../../shared/api/flows.js';
import { FlowInputSchema, IdSchema, type Flow } from '../../../shared/flow.js';
import { isSubflowId } from '../../../shared/nodes/index.js';
import { validateFlow } from '../../compiler/compile.js';
import { depthProblem } from '../../compiler/document.js';
import { isStoreError } from '../../store/index.js';
import { deleteFlowDenied } from '../auth.js';
import { readJson, readOptionalJson } from '../body.js';
import { contractOf, paramsOf, queryOf, reply } from '../contract.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { ApiError, notFound, parseWith } from '../errors.js';
import { etagOf, expectedRevision, heldRevisions } from '../etag.js';
import { redeployUsers, subflowInUse } from '../subflow-deploys.js';

export const newFlowId = () => `f-${randomUUID().slice(0, 8)}`;

export function flowRoutes(deps: AppDeps): Hono<AppEnv> {
  const { store, engine, config, logger } = deps;
  const flows = store.flows;
  const app = new Hono<AppEnv>();
  const limit = config.bus.batchBodyLimitBytes;
  const api = contractOf(config);

  const existing = async (id: string): Promise<Flow> => {
    const flow = await flows.get(id);
    if (!flow) throw notFound(`flow "${id}"`);
    return flow;
  };
  /** The document, unless it nests too deep for what comes next (the schema, the compiler, the store recurse). */
  const shallow = <T>(document: T): T => {
    const tooDeep = depthProblem(document);
    if (tooDeep) throw new ApiError(400, 'validation_failed', tooDeep.message, [{ ...tooDeep }]);
    return document;
  };
  const flowBody = async (c: Context<AppEnv>) => parseWith(FlowInputSchema, shallow(await readJson(c, limit)), [], 'flow');
  /** The flow with its revision as ETag, as each route answering a flow does. */
  const withEtag = (c: Context<AppEnv>, route: typeof api.createFlow | typeof api.getFlow | typeof api.saveFlow | typeof api.getRevision, flow: Flow) => {
    c.header('ETag', etagOf(flow.revision));
    return reply(c, route, flow);
  };

  app.get('/flows', async (c) => {
    queryOf(c, api.listFlows);
    const list = await flows.list();
    return reply(c, api.listFlows, {
      flows: list.map((f) => ({ id: f.id, name: f.name, revision: f.revision, deployedRevision: f.deployedRevision, status: engine.status(f.id).state })),
    });
  });

  app.post('/flows', async (c) => {
    queryOf(c, api.createFlow);
    const draft = await flowBody(c);
    const id = draft.id === undefined ? newFlowId() : parseWith(IdSchema, draft.id, ['id']);
    try {
      const flow = await flows.create({ ...draft, id }, c.get('principal').name);
      c.header('Location', `/api/flows/${encodeURIComponent(flow.id)}`);
      return withEtag(c, api.createFlow, flow);
    } catch (error) {
      if (isStoreError(error, 'revision_conflict')) throw new ApiError(409, 'flow_exists', `id: flow "${id}" already exists`, [{ path: 'id', message: 'already exists' }]);
      throw error;
    }
  });

  app.post('/flows/validate', async (c) => {
    queryOf(c, api.validateFlow);
    // Any JSON is compiled, and what is not a flow answered with its problems: the compiler reads the document.
    const body = shallow(await readJson(c, limit));
    // Compiled as a deploy would compile it: the server's bounds and node defaults apply.
    const result = await validateFlow(body, engine.compileOptions);
    return reply(c, api.validateFlow, result);
  });

  app.get('/flows/:id', async (c) => {
    queryOf(c, api.getFlow);
    const flow = await existing(paramsOf(c, api.getFlow).id);
    // A conditional read: an editor asks whether a newer revision was saved, and mostly hears no.
    if (heldRevisions(c.req.header('if-none-match')).includes(flow.revision)) {
      c.header('ETag', etagOf(flow.revision));
      return c.body(null, 304);
    }
    return withEtag(c, api.getFlow, flow);
  });

  app.put('/flows/:id', async (c) => {
    queryOf(c, api.saveFlow);
    const { id } = paramsOf(c, api.saveFlow);
    const expected = expectedRevision(c.req.header('if-match'));
    const draft = await flowBody(c);
    if (draft.id !== undefined && draft.id !== id) {
      throw new ApiError(400, 'validation_failed', `id: the body names flow "${draft.id}" but the URL names "${id}"`, [{ path: 'id', message: 'does not match the URL' }]);
    }
    await existing(id);
    try {
      const saved = await flows.update(id, draft, expected, c.get('principal').name);
      if (isSubflowId(id)) await redeployUsers(deps, id);
      return withEtag(c, api.saveFlow, saved);
    } catch (error) {
      if (isStoreError(error, 'revision_conflict')) {
        const actual = error.details.actualRevision;
        const latest = typeof actual === 'number' ? actual : (await existing(id)).revision;
        throw new ApiError(412, 'revision_conflict', `If-Match: flow "${id}" is at revision ${latest}, not ${expected}`, [
          { path: 'If-Match', message: 'stale revision', expectedRevision: expected, actualRevision: latest },
        ], { ETag: etagOf(latest) });
      }
      throw error;
    }
  });

  app.delete('/flows/:id', async (c) => {
    queryOf(c, api.deleteFlow);
    const { id } = paramsOf(c, api.deleteFlow);
    await existing(id);
    // A flow recorded as deployed counts as running even if it did not start here (a failed restore).
    const running = engine.running().includes(id) || (await flows.deployments()).some((d) => d.flowId === id);
    const denied = deleteFlowDenied(c.get('principal'), id, running) ?? (isSubflowId(id) ? await subflowInUse(store, id) : null);
    if (denied) throw denied;
    await engine.stop(id);
    await flows.delete(id);
    logger.info({ flowId: id, by: c.get('principal').name }, 'flow deleted');
    return c.body(null, 204);
  });

  app.get('/flows/:id/revisions', async (c) => {
    queryOf(c, api.listRevisions);
    const { id } = paramsOf(c, api.listRevisions);
    await existing(id);
    const revisions = await flows.revisions(id);
    return reply(c, api.listRevisions, { revisions: [...revisions].sort((a, b) => b.revision - a.revision) });
  });

  app.get('/flows/:id/revisions/:rev', async (c) => {
    queryOf(c, api.getRevision);
    const { id, rev: revision } = paramsOf(c, api.getRevision);
    await existing(id);
    const flow = await flows.revision(id, revision);
    if (!flow) throw notFound(`revision ${revision} of flow "${id}"`);
    return withEtag(c, api.getRevision, flow);
  });

  app.post('/flows/:id/deploy', async (c) => {
    queryOf(c, api.deployFlow);
    const { id } = paramsOf(c, api.deployFlow);
    const body = parseWith(DeployRequestSchema, (await readOptionalJson(c, config.bus.bodyLimitBytes)) ?? {}, [], 'deploy request');
    const latest = await existing(id);
    const flow = body.revision === undefined || body.revision === latest.revision ? latest : await flows.revision(id, body.revision);
    if (!flow) throw new ApiError(404, 'not_found', `revision: flow "${id}" has no revision ${body.revision}`, [{ path: 'revision', message: 'no such revision' }]);
    shallow(flow); // saved before the bound existed
    let result;
    try {
      result = await engine.deploy(flow);
    } catch (error) {
      logger.warn({ flowId: id, revision: flow.revision, error: String(error) }, 'deploy failed');
      throw new ApiError(422, 'deploy_failed', `flow "${id}" revision ${flow.revision} could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!result.ok) {
      const first = result.errors[0];
      throw new ApiError(
        422,
        'compile_failed',
        `flow "${id}" revision ${flow.revision} does not compile${first ? `: ${first.nodeId ? `node ${first.nodeId}: ` : ''}${first.message}` : ''}`,
        result.errors.map((e) => ({ ...e })),
        {},
        { errors: result.errors, warnings: result.warnings },
      );
    }
    logger.info({ flowId: id, revision: result.deployedRevision, by: c.get('principal').name }, 'flow deployed');
    return reply(c, api.deployFlow, { deployedRevision: result.deployedRevision, warnings: result.warnings });
  });

  app.post('/flows/:id/stop', async (c) => {
    queryOf(c, api.stopFlow);
    const { id } = paramsOf(c, api.stopFlow);
    await readOptionalJson(c, config.bus.bodyLimitBytes);
    await existing(id);
    await engine.stop(id);
    logger.info({ flowId: id, by: c.get('principal').name }, 'flow stopped');
    return reply(c, api.stopFlow, { state: 'stopped', deployedRevision: null });
  });

  app.get('/flows/:id/status', async (c) => {
    queryOf(c, api.flowStatus);
    const { id } = paramsOf(c, api.flowStatus);
    await existing(id);
    return reply(c, api.flowStatus, engine.status(id));
  });

  app.get('/flows/:id/nodes/:node/traffic', async (c) => {
    queryOf(c, api.nodeTraffic);
    const { id, node } = paramsOf(c, api.nodeTraffic);
    await existing(id);
    return reply(c, api.nodeTraffic, engine.nodeTraffic(id, node));
  });

  return app;
}
