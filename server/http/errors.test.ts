import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../store/index.js';
import { toErrorResponse } from './errors.js';

/** What the app answers when a handler throws `error`, and what it logged. */
async function answerTo(error: unknown) {
  const logged: unknown[] = [];
  const app = new Hono();
  app.get('/', () => {
    throw error;
  });
  app.onError((e, c) => toErrorResponse(c, e, (x) => logged.push(x)));
  const res = await app.request('/');
  return { status: res.status, body: (await res.json()) as unknown, logged };
}

describe('error answers', () => {
  it('answers a store filter bound it cannot use 400 invalid_query, with the store’s message', async () => {
    const answer = await answerTo(new StoreError('invalid_filter', 'from must be an RFC 3339 time, got "yesterday"', { field: 'from' }));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: { code: 'invalid_query', message: 'from must be an RFC 3339 time, got "yesterday"', details: [] } });
    expect(answer.logged).toEqual([]);
  });

  it('answers an unforeseen RangeError 500 and logs it, whatever its message says', async () => {
    for (const message of ['from must be an RFC 3339 time, got "x"', 'the limit of the buffer was exceeded']) {
      const error = new RangeError(message);
      const answer = await answerTo(error);
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ error: { code: 'internal', message: 'the server failed to answer this request; see its log', details: [] } });
      expect(answer.logged).toEqual([error]);
    }
  });
});
