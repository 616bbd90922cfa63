/**
 * The EventStore conformance suite: every adapter runs it unchanged with
 * `describeEventStore('sqlite', async () => openSqliteStore(':memory:'))`. `open` must give a fresh, empty store;
 * each test closes the store it opened.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import { describeAppend } from './conformance/append.js';
import { describeCausality } from './conformance/causality.js';
import type { SuiteContext } from './conformance/context.js';
import { describeDensity } from './conformance/density.js';
import { describeFlows } from './conformance/flows.js';
import { describeModel } from './conformance/model.js';
import { describeRead } from './conformance/read.js';
import { describeReplays } from './conformance/replays.js';
import { describeState } from './conformance/state.js';
import { describeSubscribe } from './conformance/subscribe.js';
import { describeUnstorable } from './conformance/unstorable.js';
import type { EventStore } from '../types.js';

export function describeEventStore(name: string, open: () => Promise<EventStore>): void {
  describe(`${name} event store`, () => {
    let current: EventStore | null = null;
    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      await current?.close();
      current = null;
    });
    const ctx: SuiteContext = {
      store: () => {
        if (!current) throw new Error('no store is open');
        return current;
      },
    };
    describeAppend(ctx);
    describeUnstorable(ctx);
    describeModel(ctx);
    describeRead(ctx);
    describeCausality(ctx);
    describeDensity(ctx);
    describeSubscribe(ctx);
    describeState(ctx);
    describeFlows(ctx);
    describeReplays(ctx);
  });
}
