/**
 * Who is signed in, as the server answers `GET /api/whoami`, and whether it asks for tokens at all, as
 * `GET /api/health` says. One definition for the server that answers and the web app that signs in.
 */
import { z } from 'zod';

export const SessionRoleSchema = z.enum(['viewer', 'editor', 'admin']).meta({ description: 'Roles rank viewer < editor < admin.' });
export type SessionRole = z.infer<typeof SessionRoleSchema>;

export const AuthModeSchema = z
  .enum(['token', 'none'])
  .meta({ description: '`token`: every `/api` route but health (and the API description) needs a token; `none`: the server takes anyone (loopback only).' });
export type AuthMode = z.infer<typeof AuthModeSchema>;

export const HealthSchema = z
  .strictObject({
    status: z.literal('ok'),
    /** This server's runtime process (its vector-clock entry). */
    process: z.string(),
    store: z.enum(['sqlite', 'postgres', 'memory']),
    version: z.string(),
    auth: AuthModeSchema,
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof HealthSchema>;

export const WhoAmISchema = z
  .strictObject({
    name: z.string().nullable().meta({ description: "The token's name; null without tokens (everyone is an anonymous admin then)." }),
    role: SessionRoleSchema,
    auth: AuthModeSchema,
  })
  .meta({ id: 'WhoAmI' });
export type WhoAmI = z.infer<typeof WhoAmISchema>;
