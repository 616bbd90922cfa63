import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { etagOf, expectedRevision } from './etag.js';

const statusOf = (header: string | undefined) => {
  try {
    expectedRevision(header);
    return 0;
  } catch (error) {
    return (error as ApiError).status;
  }
};

describe('revision tags', () => {
  it('reads the revision from a strong, weak or bare tag', () => {
    expect(expectedRevision(etagOf(3))).toBe(3);
    expect(expectedRevision('W/"12"')).toBe(12);
    expect(expectedRevision(' 7 ')).toBe(7);
  });

  it('asks for If-Match with 428 when it is missing', () => {
    expect(statusOf(undefined)).toBe(428);
    expect(statusOf('  ')).toBe(428);
  });

  it('refuses a header that names no revision with 400', () => {
    for (const header of ['*', '"abc"', '"0"', '"1", "2"', '"9999999999"']) expect(statusOf(header), header).toBe(400);
  });
});
