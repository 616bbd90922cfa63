import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { etagOf, expectedRevision, heldRevisions } from './etag.js';

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

describe('held revisions (If-None-Match)', () => {
  it('reads every revision tag of the list, strong or weak, and nothing from a missing or foreign header', () => {
    expect(heldRevisions('"3"')).toEqual([3]);
    expect(heldRevisions('W/"4", "5"')).toEqual([4, 5]);
    expect(heldRevisions(undefined)).toEqual([]);
    expect(heldRevisions('*')).toEqual([]);
    expect(heldRevisions('"abc"')).toEqual([]);
  });
});
