/** A replay's status and events, as the server answers them (shared/api/replays.ts), each answer parsed by its schema. */
import { EventPageSchema } from '../../shared/api/events.js';
import { ReplayStatusSchema, type ReplayStatus } from '../../shared/api/replays.js';
import type { StoredEvent } from '../../shared/event.js';
import { getJson, sendJson } from '../api/client.js';

const enc = encodeURIComponent;

export const getReplay = (id: string): Promise<ReplayStatus> => getJson(`/api/replays/${enc(id)}`, ReplayStatusSchema);

export const getReplayEvents = async (id: string): Promise<StoredEvent[]> => (await getJson(`/api/replays/${enc(id)}/events?limit=10000`, EventPageSchema)).events;

/** Stops a running replay; resolves with its final status (409 once it has ended). */
export const cancelReplay = async (id: string): Promise<ReplayStatus> => (await sendJson('POST', `/api/replays/${enc(id)}/cancel`, ReplayStatusSchema)).body;
