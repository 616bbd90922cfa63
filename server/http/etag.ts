/** Flow revisions as entity tags: `ETag: "3"`; a save must say which revision it replaces (`If-Match: "3"`). */
import { ApiError } from './errors.js';

export const etagOf = (revision: number) => `"${revision}"`;

/**
 * The revision an If-Match header names. Missing → 428; not a revision tag → 400; `*` is refused because a
 * save must name the revision it builds on.
 */
export function expectedRevision(ifMatch: string | undefined): number {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new ApiError(428, 'precondition_required', 'If-Match: a save must name the revision it replaces, e.g. If-Match: "3"', [
      { path: 'If-Match', message: 'required' },
    ]);
  }
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
  if (!match) {
    throw new ApiError(400, 'invalid_header', 'If-Match: expected a revision tag such as "3"', [{ path: 'If-Match', message: 'expected "<revision>"' }]);
  }
  const revision = Number(match[1]);
  if (revision < 1) throw new ApiError(400, 'invalid_header', 'If-Match: revisions start at 1', [{ path: 'If-Match', message: 'revisions start at 1' }]);
  return revision;
}

/** The revisions an If-None-Match header names (`"3"`, `W/"3", "4"`); none for a missing or unreadable header. */
export function heldRevisions(ifNoneMatch: string | undefined): number[] {
  if (ifNoneMatch === undefined) return [];
  return ifNoneMatch
    .split(',')
    .map((tag) => /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(tag)?.[1])
    .filter((d): d is string => d !== undefined)
    .map(Number);
}
