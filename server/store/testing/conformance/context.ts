import type { EventStore } from '../../types.js';

/** What each part of the suite gets: the store of the running test (a fresh, empty one per test). */
export interface SuiteContext {
  store(): EventStore;
}
