import type { StoredEvent } from '../../../shared/event.js';
import { batchNode } from '../../../shared/nodes/processors.js';
import type { HandleIO, NodeFactory, Output } from '../node.js';
import { configOf } from './config.js';

/** Holds events until `size` of them are in or `timeoutMs` has passed since the first, then emits one event. */
export const batch: NodeFactory = (ctx) => {
  const config = configOf(batchNode, ctx);
  let held: { event: StoredEvent; release: ReturnType<HandleIO['hold']> }[] = [];
  let timer: NodeJS.Timeout | undefined;

  const emit = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (held.length === 0) return;
    const events = held.map((h) => h.event);
    const outputs: Output[] = [
      {
        kind: 'emit',
        type: config.type,
        data: { count: events.length, events: events.map((e) => ({ id: e.id, type: e.type, source: e.source, data: e.data })) },
      },
    ];
    const holds = held;
    held = [];
    // The batch is caused by its last event. The others stay open until it is committed, so a crash before
    // then re-forms the whole batch.
    void holds[holds.length - 1]!.release(outputs, events).then(() => {
      for (const h of holds.slice(0, -1)) void h.release([], []);
    });
  };

  return {
    handle: (event, io) => {
      held.push({ event, release: io.hold() });
      if (held.length >= config.size) emit();
      else if (!timer && config.timeoutMs > 0) timer = setTimeout(emit, config.timeoutMs);
      return [];
    },
    flush: emit,
    stop: () => {
      if (timer) clearTimeout(timer);
    },
  };
};
