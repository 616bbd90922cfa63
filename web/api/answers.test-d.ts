/**
 * The web client returns what the API table says each route answers: its functions' types are the answer schemas'
 * types (shared/api), not types of their own, so a change to a route's answer schema changes what the client
 * returns, and the pages that use it stop compiling where they no longer fit. Checked by the compiler (`npx tsc
 * --noEmit -p .`, `npm run typecheck`), which compiles this file with the rest; vitest does not run it.
 */
import { expectTypeOf } from 'vitest';
import type { ApiContract, JsonAnswer } from '../../shared/api/index.js';
import * as deadletters from '../deadletters/api.js';
import * as replays from '../replay/api.js';
import * as timeline from '../timeline/api.js';
import * as flows from './flows.js';
import { signIn } from './session.js';

type Answer<N extends keyof ApiContract> = JsonAnswer<ApiContract[N]>;

expectTypeOf(flows.listFlows).returns.resolves.toEqualTypeOf<Answer<'listFlows'>['flows']>();
expectTypeOf(flows.getFlow).returns.resolves.toEqualTypeOf<Answer<'getFlow'>>();
expectTypeOf(flows.createFlow).returns.resolves.toEqualTypeOf<Answer<'createFlow'>>();
expectTypeOf(flows.saveFlow).returns.resolves.toEqualTypeOf<Answer<'saveFlow'>>();
expectTypeOf(flows.listRevisions).returns.resolves.toEqualTypeOf<Answer<'listRevisions'>['revisions']>();
expectTypeOf(flows.getRevision).returns.resolves.toEqualTypeOf<Answer<'getRevision'>>();
expectTypeOf(flows.validateFlow).returns.resolves.toEqualTypeOf<Answer<'validateFlow'>>();
expectTypeOf(flows.deployFlow).returns.resolves.toEqualTypeOf<Answer<'deployFlow'>>();
expectTypeOf(flows.getStatus).returns.resolves.toEqualTypeOf<Answer<'flowStatus'>>();

expectTypeOf(replays.getReplay).returns.resolves.toEqualTypeOf<Answer<'getReplay'>>();
expectTypeOf(replays.cancelReplay).returns.resolves.toEqualTypeOf<Answer<'cancelReplay'>>();
expectTypeOf(replays.getReplayEvents).returns.resolves.toEqualTypeOf<Answer<'replayEvents'>['events']>();

expectTypeOf(deadletters.listDeadLetters).returns.resolves.toEqualTypeOf<Answer<'listDeadLetters'>>();
expectTypeOf(deadletters.redrive).returns.resolves.toEqualTypeOf<Answer<'redrive'>>();

expectTypeOf(timeline.getCausality).returns.resolves.toEqualTypeOf<Answer<'eventCausality'>>();
expectTypeOf(timeline.importShiViz).returns.resolves.toEqualTypeOf<Answer<'importShiViz'>>();
expectTypeOf(timeline.startReplay).returns.resolves.toEqualTypeOf<Answer<'startReplay'>['id']>();
expectTypeOf(timeline.loadFullEvents).returns.resolves.toEqualTypeOf<Answer<'listEvents'>['events']>();
expectTypeOf(timeline.loadRecordPage).returns.resolves.toHaveProperty('next').toEqualTypeOf<Answer<'timelineEvents'>['next']>();

expectTypeOf(signIn).returns.resolves.toEqualTypeOf<Answer<'whoami'>>();
