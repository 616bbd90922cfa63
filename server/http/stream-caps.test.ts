import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { StreamCaps } from './stream-caps.js';

const refusal = (admit: () => unknown): ApiError => {
  try {
    admit();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('admitted');
};

describe('stream caps', () => {
  it('refuses an owner its stream beyond its share with 429 too_many_streams, naming it and the key', () => {
    const caps = new StreamCaps({ maxStreams: 10, maxStreamsPerClient: 2 });
    caps.admit('token:a', 'the token "a"');
    caps.admit('token:a', 'the token "a"');
    const error = refusal(() => caps.admit('token:a', 'the token "a"'));
    expect(error.status).toBe(429);
    expect(error.code).toBe('too_many_streams');
    expect(error.message).toContain('the token "a" has 2 live streams open');
    expect(error.message).toContain('http.maxStreamsPerClient');
    expect(error.headers['Retry-After']).toBeDefined();
    expect(() => caps.admit('token:b', 'the token "b"')).not.toThrow();
  });

  it('refuses any stream beyond the server’s cap with 503 streams_full', () => {
    const caps = new StreamCaps({ maxStreams: 3, maxStreamsPerClient: 2 });
    caps.admit('a', 'a');
    caps.admit('b', 'b');
    caps.admit('c', 'c');
    const error = refusal(() => caps.admit('d', 'd'));
    expect(error.status).toBe(503);
    expect(error.code).toBe('streams_full');
    expect(error.message).toContain('http.maxStreams');
  });

  it('counts a stream out once, however often its release is called', () => {
    const caps = new StreamCaps({ maxStreams: 2, maxStreamsPerClient: 1 });
    const release = caps.admit('a', 'a');
    caps.admit('b', 'b');
    release();
    release();
    expect(caps.open).toBe(1);
    expect(() => caps.admit('a', 'a')).not.toThrow();
    expect(() => caps.admit('c', 'c')).toThrow(ApiError);
  });
});
