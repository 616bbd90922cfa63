import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { liveQuerySchema } from '../../shared/api/events.js';
import { eventQuerySchema } from '../../shared/api/query.js';
import { parseQuery } from './query.js';

const failure = (fn: () => unknown): ApiError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a failure');
};

describe('query strings', () => {
  it('reads filters, positions and limits', () => {
    const q = parseQuery(eventQuerySchema(10_000), { type: ['reading.*,alert', 'x'], after: ['12'], limit: ['50'], from: ['2026-01-01T00:00:00Z'] });
    expect(q).toEqual({ type: ['reading.*', 'alert', 'x'], after: 12, limit: 50, from: '2026-01-01T00:00:00Z' });
  });

  it('names the parameter that is out of range, malformed, repeated or unknown', () => {
    expect(failure(() => parseQuery(eventQuerySchema(100), { limit: ['101'] })).message).toMatch(/^limit/);
    expect(failure(() => parseQuery(eventQuerySchema(100), { after: ['1.5'] })).message).toMatch(/^after/);
    expect(failure(() => parseQuery(eventQuerySchema(100), { to: ['tomorrow'] })).message).toMatch(/^to/);
    expect(failure(() => parseQuery(eventQuerySchema(100), { stream: ['a', 'b'] })).message).toMatch(/^stream/);
    expect(JSON.stringify(failure(() => parseQuery(liveQuerySchema, { afterr: ['1'] })).details)).toContain('afterr');
  });

  it('accepts an access token on any route', () => {
    expect(parseQuery(liveQuerySchema, { access_token: ['s'] })).toEqual({ access_token: 's' });
  });
});
