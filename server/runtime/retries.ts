/**
 * A store call retried with backoff: a busy disk or a dropped connection gets a few chances (waiting 100, 200,
 * 400 ms). A `StoreError` is the store's answer, not a mishap, and is never retried.
 */
import { isStoreError } from '../store/index.js';

export async function withRetries<T>(call: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (error) {
      if (isStoreError(error) || i >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 50 * 2 ** i));
    }
  }
}
