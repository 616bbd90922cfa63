/**
 * Who is signed in, as the server answers `GET /api/whoami`, and whether it asks for tokens at all, as
 * `GET /api/health` says. One definition for the server that answers and the web app that signs in.
 */
export type SessionRole = 'viewer' | 'editor' | 'admin';

/** `token`: every `/api` route but health needs a token; `none`: the server takes anyone (loopback only). */
export type AuthMode = 'token' | 'none';

export interface Health {
  status: 'ok';
  process: string;
  store: string;
  version: string;
  auth: AuthMode;
}

export interface WhoAmI {
  /** The token's name; null without tokens (everyone is an anonymous admin then). */
  name: string | null;
  role: SessionRole;
  auth: AuthMode;
}
