/** Reading more events than one read may answer: page after page, in position order. */
import type { StoredEvent } from '../../shared/event.js';
import { READ_LIMIT } from './limits.js';
import type { EventStore, ReadOptions } from './types.js';

/** The events matching `options` after `options.after`, a page of at most `pageSize` at a time, until none are left. */
export async function* readPages(store: Pick<EventStore, 'read'>, options: ReadOptions, pageSize: number = READ_LIMIT.max): AsyncGenerator<StoredEvent[]> {
  const size = Math.max(1, Math.min(READ_LIMIT.max, pageSize));
  let after = options.after ?? 0;
  for (;;) {
    const page = await store.read({ ...options, after, limit: size });
    if (page.length > 0) yield page;
    if (page.length < size) return;
    after = page[page.length - 1]!.position;
  }
}
