/**
 * Flows: CRUD with revisions (ETag / If-Match), validation, deploy, stop and status.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { FlowInputSchema, IdSchema, type Flow } from '../../../shared/flow.js';
import { validateFlow } from '../../compiler/compile.js';
import { depthProblem } from '../../compiler/document.js';
import { isStoreError } from '../../store/index.js';
import { deleteFlowDenied } from '../auth.js';
import { readJson, readOptionalJson } from '../body.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { ApiError, notFound, parseWith } from '../errors.js';
import { etagOf, expectedRevision } from '../etag.js';
import { noQuerySchema, parseQuery } from '../query.js';

const DeploySchema = z.strictObject({ revision: z.number().int().positive().max(1_000_000_000).optional() });
const RevisionParam = z.string().regex(/^\d{1,9}$/, 'expected a revision number').transform(Number).pipe(z.number().int().positive('revisions start at 1'));

export const newFlowId = () => `f-${randomUUID().slice(0, 8)}`;

export function flowRoutes(deps: AppDeps): Hono<AppEnv> {
  const { store, engine, config, logger } = deps;
  const flows = store.flows;
  const app = new Hono<AppEnv>();
  const limit = config.bus.batchBodyLimitBytes;

  const flowId = (c: Context<AppEnv>) => parseWith(IdSchema, c.req.param('id'), ['id'], 'flow id');
  const existing = async (id: string): Promise<Flow> => {
    const flow = await flows.get(id);
    if (!flow) throw notFound(`flow "${id}"`);
    return flow;
  };
  const noQuery = (c: Context<AppEnv>) => parseQuery(noQuerySchema, c.req.queries());
  /** The document, unless it nests too deep for what comes next (the schema, the compiler, the store recurse). */
  const shallow = <T>(document: T): T => {
    const tooDeep = depthProblem(document);
    if (tooDeep) throw new ApiError(400, 'validation_failed', tooDeep.message, [{ ...tooDeep }]);
    return document;
  };
  const flowBody = async (c: Context<AppEnv>) => parseWith(FlowInputSchema, shallow(await readJson(c, limit)), [], 'flow');
  const withEtag = (c: Context<AppEnv>, flow: Flow, status: 200 | 201 = 200) => {
    c.header('ETag', etagOf(flow.revision));
    return c.json(flow, status);
  };

  app.get('/flows', async (c) => {
    noQuery(c);
    const list = await flows.list();
    return c.json({
      flows: list.map((f) => ({ id: f.id, name: f.name, revision: f.revision, deployedRevision: f.deployedRevision, status: engine.status(f.id).state })),
    });
  });

  app.post('/flows', async (c) => {
    noQuery(c);
    const draft = await flowBody(c);
    const id = draft.id === undefined ? newFlowId() : parseWith(IdSchema, draft.id, ['id']);
    try {
      const flow = await flows.create({ ...draft, id }, c.get('principal').name);
      c.header('Location', `/api/flows/${encodeURIComponent(flow.id)}`);
      return withEtag(c, flow, 201);
    } catch (error) {
      if (isStoreError(error, 'revision_conflict')) throw new ApiError(409, 'flow_exists', `id: flow "${id}" already exists`, [{ path: 'id', message: 'already exists' }]);
      throw error;
    }
  });

  app.post('/flows/validate', async (c) => {
    noQuery(c);
    const body = shallow(await readJson(c, limit));
    const result = await validateFlow(body, { hopLimit: config.bus.hopLimit });
    return c.json(result);
  });

  app.get('/flows/:id', async (c) => {
    noQuery(c);
    return withEtag(c, await existing(flowId(c)));
  });

  app.put('/flows/:id', async (c) => {
    noQuery(c);
    const id = flowId(c);
    const expected = expectedRevision(c.req.header('if-match'));
    const draft = await flowBody(c);
    if (draft.id !== undefined && draft.id !== id) {
      throw new ApiError(400, 'validation_failed', `id: the body names flow "${draft.id}" but the URL names "${id}"`, [{ path: 'id', message: 'does not match the URL' }]);
    }
    await existing(id);
    try {
      return withEtag(c, await flows.update(id, draft, expected, c.get('principal').name));
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
    noQuery(c);
    const id = flowId(c);
    await existing(id);
    // A flow recorded as deployed counts as running even if it did not start here (a failed restore).
    const running = engine.running().includes(id) || (await flows.deployments()).some((d) => d.flowId === id);
    const denied = deleteFlowDenied(c.get('principal'), id, running);
    if (denied) throw denied;
    await engine.stop(id);
    await flows.delete(id);
    logger.info({ flowId: id, by: c.get('principal').name }, 'flow deleted');
    return c.body(null, 204);
  });

  app.get('/flows/:id/revisions', async (c) => {
    noQuery(c);
    const id = flowId(c);
    await existing(id);
    const revisions = await flows.revisions(id);
    return c.json({ revisions: [...revisions].sort((a, b) => b.revision - a.revision) });
  });

  app.get('/flows/:id/revisions/:rev', async (c) => {
    noQuery(c);
    const id = flowId(c);
    const revision = parseWith(RevisionParam, c.req.param('rev'), ['rev'], 'revision');
    await existing(id);
    const flow = await flows.revision(id, revision);
    if (!flow) throw notFound(`revision ${revision} of flow "${id}"`);
    return withEtag(c, flow);
  });

  app.post('/flows/:id/deploy', async (c) => {
    noQuery(c);
    const id = flowId(c);
    const body = parseWith(DeploySchema, (await readOptionalJson(c, config.bus.bodyLimitBytes)) ?? {}, [], 'deploy request');
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
    return c.json({ deployedRevision: result.deployedRevision, warnings: result.warnings });
  });

  app.post('/flows/:id/stop', async (c) => {
    noQuery(c);
    const id = flowId(c);
    await readOptionalJson(c, config.bus.bodyLimitBytes);
    await existing(id);
    await engine.stop(id);
    logger.info({ flowId: id, by: c.get('principal').name }, 'flow stopped');
    return c.json({ state: 'stopped', deployedRevision: null });
  });

  app.get('/flows/:id/status', async (c) => {
    noQuery(c);
    const id = flowId(c);
    await existing(id);
    return c.json(engine.status(id));
  });

  return app;
}
