/**
 * Who is signed in. With tokens on the server (`/api/health` says `auth: "token"`), the app asks for one on a
 * sign-in page, checks it with `GET /api/whoami`, keeps it for the tab (sessionStorage: a reload keeps it, a new
 * tab or a closed browser does not) and hands it to the client, which puts it on every request and stream. A
 * 401 on that token ends the session and brings the sign-in page back, saying why; a 403 does not (the token is
 * good, its role too low: the page that asked says so). Without tokens on the server, everyone is signed in.
 */
import { useSyncExternalStore } from 'react';
import { HealthSchema, WhoAmISchema, type WhoAmI } from '../../shared/session.js';
import { ApiFailure, describeError, getJson, onRefused, sendJson, setAccessToken } from './client.js';

export type Session =
  | { phase: 'checking' }
  /** `who`: null when the server could not say (unreachable); the pages show what fails. */
  | { phase: 'signed-in'; who: WhoAmI | null }
  /** `reason`: why the app asks again (a refused token), or null on a first visit. */
  | { phase: 'signed-out'; reason: string | null };

const STORAGE_KEY = 'causeway.token';

let session: Session = { phase: 'checking' };
const listeners = new Set<() => void>();

function set(next: Session): void {
  session = next;
  listeners.forEach((l) => l());
}

function stored(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage refused (privacy settings): the token lives as long as the page
  }
}

/** The token requests carry now (also when storage is refused). */
let held: string | null = null;

function hold(token: string | null): void {
  held = token;
  setAccessToken(token);
}

function keep(token: string | null): void {
  hold(token);
  try {
    if (token === null) window.sessionStorage.removeItem(STORAGE_KEY);
    else window.sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    /* see stored() */
  }
}

export const currentSession = (): Session => session;

/** Whether this tab signed in with a token (false on a server that takes anyone). */
export const hasToken = (): boolean => held !== null;

export function useSession(): Session {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    currentSession,
    currentSession,
  );
}

/** Who a token names, asked of the server with that token alone. */
const whoIs = async (token: string | null): Promise<WhoAmI> =>
  (await sendJson('GET', '/api/whoami', WhoAmISchema, undefined, token === null ? {} : { authorization: `Bearer ${token}` })).body;

/** What the page says when the server refuses a token. */
const refusal = (error: unknown) => `The server refused the token: ${describeError(error)}`;

let started: Promise<void> | null = null;

/**
 * Decides on first load whether to ask for a token: a token kept for this tab is checked again; without one,
 * health says whether the server wants one. Once per page.
 */
export const startSession = (): Promise<void> => (started ??= firstSession());

async function firstSession(): Promise<void> {
  const token = stored();
  if (token !== null) {
    hold(token);
    try {
      set({ phase: 'signed-in', who: await whoIs(token) });
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) {
        keep(null);
        set({ phase: 'signed-out', reason: refusal(error) });
      } else set({ phase: 'signed-in', who: null });
    }
    return;
  }
  const health = await getJson('/api/health', HealthSchema).catch(() => null);
  if (health?.auth === 'token') return set({ phase: 'signed-out', reason: null });
  try {
    set({ phase: 'signed-in', who: await whoIs(null) });
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401) set({ phase: 'signed-out', reason: null });
    else set({ phase: 'signed-in', who: null });
  }
}

/** Checks a token and, if the server takes it, signs in with it; otherwise throws a message to show. */
export async function signIn(token: string): Promise<WhoAmI> {
  const trimmed = token.trim();
  if (trimmed === '') throw new Error('Enter a token.');
  let who: WhoAmI;
  try {
    who = await whoIs(trimmed);
  } catch (error) {
    throw new Error(error instanceof ApiFailure && error.status === 401 ? refusal(error) : `Could not check the token: ${describeError(error)}`);
  }
  keep(trimmed);
  set({ phase: 'signed-in', who });
  return who;
}

export function signOut(): void {
  keep(null);
  set({ phase: 'signed-out', reason: null });
}

// Any request refused for its token ends the session.
onRefused((failure) => {
  if (session.phase === 'signed-out') return;
  const hadToken = held !== null;
  keep(null);
  // Without a token, the server has just begun to ask for one: a first sign-in, nothing was refused.
  set({ phase: 'signed-out', reason: hadToken ? refusal(failure) : null });
});
