/** The dead letters and their re-drives, as the server answers them (shared/api/deadletters.ts), parsed by their schemas. */
import {
  DeadLetterPageSchema,
  RedriveResultSchema,
  type DeadLetterPage,
  type RedriveRequestInput,
  type RedriveResult,
} from '../../shared/api/deadletters.js';
import { getJson, sendJson } from '../api/client.js';

/** What the view filters by; empty fields are left out. */
export interface DeadLetterFilter {
  flowId: string;
  nodeId: string;
  code: string;
  /** RFC 3339, or empty. */
  from: string;
  to: string;
}

export const EMPTY_FILTER: DeadLetterFilter = { flowId: '', nodeId: '', code: '', from: '', to: '' };

/** The query string of a filter: only the fields given. */
export function filterQuery(filter: DeadLetterFilter, after?: number): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
  if (after) query.set('after', String(after));
  query.set('limit', '200');
  return query.toString();
}

export const listDeadLetters = (filter: DeadLetterFilter, after?: number): Promise<DeadLetterPage> =>
  getJson(`/api/deadletters?${filterQuery(filter, after)}`, DeadLetterPageSchema);

/** Runs a re-drive to its end: each entry's outcome and the replay's diff. */
export const redrive = async (body: RedriveRequestInput): Promise<RedriveResult> => (await sendJson('POST', '/api/deadletters/redrive', RedriveResultSchema, body)).body;
