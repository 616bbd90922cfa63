/**
 * Every text a request names in its URL (path segments and query parameters) is text every store can look up:
 * PostgreSQL refuses a NUL character in a query, so `GET /api/events?type=%00` or `/api/events/%00` answered 500.
 * Checked once for every `/api` request, where the bodies' fields are checked by the store itself.
 */
import { textProblem } from '../../shared/storable.js';
import { ApiError } from './errors.js';

/** The 400 for the first path segment or query parameter that is not such text, or null. */
export function urlTextError(url: string): ApiError | null {
  const { pathname, searchParams } = new URL(url);
  for (const raw of pathname.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      continue; // not percent-encoding at all: the route answers for it
    }
    const problem = textProblem(segment);
    if (problem) return invalid('path', `the path segment ${JSON.stringify(segment)} ${problem}`);
  }
  for (const [name, value] of searchParams) {
    const problem = textProblem(name) ?? textProblem(value);
    if (problem) return invalid(name, `${name}: ${problem}`);
  }
  return null;
}

const invalid = (path: string, message: string) => new ApiError(400, 'validation_failed', message, [{ path, message }]);
