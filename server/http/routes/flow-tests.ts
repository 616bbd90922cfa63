/**
 * `POST /api/flows/test`: events run through a flow document as drawn, in dry-run (replay/test-run.ts), answered
 * with what each node received, emitted and failed on. A few run at once at most (`too_many_tests`, 429): each holds
 * a runtime and user code for up to its time limit. The editor role may test, as it may save.
 */
import { Hono } from 'hono';
import { FlowTestRequestSchema } from '../../../shared/api/flow-tests.js';
import { depthProblem } from '../../compiler/document.js';
import { FlowTestError } from '../../replay/test-error.js';
import { runFlowTest, type FlowTestOptions } from '../../replay/test-run.js';
import { readJson } from '../body.js';
import { contractOf, queryOf, reply } from '../contract.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { ApiError, parseWith } from '../errors.js';

/** Tests that run at once in one server process. */
export const MAX_RUNNING_TESTS = 4;

export function flowTestRoutes(deps: AppDeps, options: Omit<FlowTestOptions, 'compile' | 'userCode'> = {}): Hono<AppEnv> {
  const { store, engine, config } = deps;
  const app = new Hono<AppEnv>();
  const api = contractOf(config);
  let running = 0;

  app.post('/flows/test', async (c) => {
    queryOf(c, api.testFlow);
    const json = await readJson(c, config.bus.batchBodyLimitBytes);
    // The schema, the compiler and the store recurse: a document nesting deeper than they may is refused first.
    const tooDeep = depthProblem(json);
    if (tooDeep) throw new ApiError(400, 'validation_failed', tooDeep.message, [{ ...tooDeep }]);
    const body = parseWith(FlowTestRequestSchema, json, [], 'test');
    if (running >= MAX_RUNNING_TESTS) {
      throw new FlowTestError('too_many_tests', `${running} flow tests are running, as many as this server runs at once: try again shortly`, { running, limit: MAX_RUNNING_TESTS });
    }
    running++;
    try {
      const outcome = await runFlowTest(store, body, { ...options, compile: engine.compileOptions, userCode: engine.userCode });
      if (!outcome.ok) {
        const first = outcome.errors[0];
        throw new ApiError(
          422,
          'compile_failed',
          `the flow does not compile${first ? `: ${first.nodeId ? `node ${first.nodeId}: ` : ''}${first.message}` : ''}`,
          outcome.errors.map((e) => ({ ...e })),
          {},
          { errors: outcome.errors, warnings: outcome.warnings },
        );
      }
      return reply(c, api.testFlow, outcome.result);
    } finally {
      running--;
    }
  });

  return app;
}
