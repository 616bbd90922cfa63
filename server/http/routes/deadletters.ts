/**
 * Dead letters: list them (a page, filtered) with their latest re-drive outcome, and re-drive chosen ones of one
 * flow through a revision. A dry-run re-drive needs the editor role; a live one (it writes to the live log and its
 * sinks send) needs admin, as a live replay does. The re-drive runs as a replay of the shared registry, so the
 * caps of `[replays]` count it and it is listed with the replays.
 */
import { Hono } from 'hono';
import { RedriveRequestSchema } from '../../../shared/api/deadletters.js';
import type { StoredEvent } from '../../../shared/event.js';
import { deadLetterPage } from '../../replay/dead-letter-view.js';
import { redrive } from '../../replay/redrive.js';
import type { RedriveEntry } from '../../replay/redrive-plan.js';
import type { ReplayRegistry } from '../../replay/registry.js';
import { DEADLETTER_STREAM } from '../../runtime/derive.js';
import type { EventStore } from '../../store/index.js';
import { requireRole } from '../auth.js';
import { readJson } from '../body.js';
import { contractOf, queryOf, reply } from '../contract.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { ApiError, parseWith } from '../errors.js';

/** The dead letters named, each with the input its node failed on; all of one flow. */
async function entriesOf(store: EventStore, ids: string[]): Promise<{ flowId: string; entries: RedriveEntry[] }> {
  const entries: RedriveEntry[] = [];
  const flows = new Set<string>();
  for (const [i, id] of [...new Set(ids)].entries()) {
    const letter = await store.get(id);
    const path = `deadLetters.${i}`;
    if (!letter || letter.stream !== DEADLETTER_STREAM) throw new ApiError(404, 'not_found', `dead letter "${id}" does not exist`, [{ path, message: 'not found' }]);
    const kept = (letter.data as { event?: StoredEvent } | null)?.event;
    const input = (letter.causationId ? await store.get(letter.causationId) : null) ?? kept ?? null;
    if (!input || letter.flowId === null) {
      throw new ApiError(400, 'invalid_request', `dead letter "${id}" holds no stored input to re-drive (a source could not store it)`, [{ path, message: 'no input' }]);
    }
    flows.add(letter.flowId);
    entries.push({ deadLetter: letter, input });
  }
  if (flows.size > 1) {
    throw new ApiError(400, 'invalid_request', `the dead letters are of ${flows.size} flows (${[...flows].join(', ')}): re-drive one flow at a time`, [
      { path: 'deadLetters', message: 'several flows' },
    ]);
  }
  return { flowId: [...flows][0]!, entries };
}

export function deadLetterRoutes(deps: AppDeps, registry: ReplayRegistry): Hono<AppEnv> {
  const { store, config } = deps;
  const app = new Hono<AppEnv>();
  const api = contractOf(config);

  app.get('/deadletters', async (c) => {
    const q = queryOf(c, api.listDeadLetters);
    return reply(c, api.listDeadLetters, await deadLetterPage(store, q));
  });

  app.post('/deadletters/redrive', async (c) => {
    queryOf(c, api.redrive);
    const body = parseWith(RedriveRequestSchema, await readJson(c, config.bus.bodyLimitBytes), [], 're-drive');
    if (body.mode === 'live') requireRole(c.get('principal'), 'admin');
    const { flowId, entries } = await entriesOf(store, body.deadLetters);
    const flow = body.revision === undefined ? await store.flows.get(flowId) : await store.flows.revision(flowId, body.revision);
    if (!flow) {
      const what = body.revision === undefined ? `flow "${flowId}"` : `revision ${body.revision} of flow "${flowId}"`;
      throw new ApiError(404, 'not_found', `${what} does not exist`, [{ path: body.revision === undefined ? 'deadLetters' : 'revision', message: 'not found' }]);
    }
    const result = await redrive({ store, registry, clocks: deps.engine.clocks }, { flow, entries, mode: body.mode });
    return reply(c, api.redrive, result);
  });

  return app;
}
