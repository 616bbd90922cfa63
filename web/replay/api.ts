/** Replays as the server answers them (shared/api/replays.ts): the list, one's status and events, and its cancel; each answer parsed by its schema. */
import { EventPageSchema } from '../../shared/api/events.js';
import { ReplayListSchema, ReplayStatusSchema, type ReplayStatus, type ReplaySummary } from '../../shared/api/replays.js';
import type { StoredEvent } from '../../shared/event.js';
import { getJson, sendJson } from '../api/client.js';

const enc = encodeURIComponent;

export const getReplay = (id: string): Promise<ReplayStatus> => getJson(`/api/replays/${enc(id)}`, ReplayStatusSchema);

export const getReplayEvents = async (id: string): Promise<StoredEvent[]> => (await getJson(`/api/replays/${enc(id)}/events?limit=10000`, EventPageSchema)).events;

/** Stops a running replay; resolves with its final status (409 once it has ended). */
export const cancelReplay = async (id: string): Promise<ReplayStatus> => (await sendJson('POST', `/api/replays/${enc(id)}/cancel`, ReplayStatusSchema)).body;

/** The replays, newest first, without their listed changes. */
export const listReplays = async (): Promise<ReplaySummary[]> => (await getJson('/api/replays', ReplayListSchema)).replays;
