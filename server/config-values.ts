/**
 * What every part of the configuration shares: the refusal (`ConfigError`, with a code and a message naming the key)
 * and the schemas of its kinds of value (positive integers, process names, ports, store and broker URLs), so that the
 * file's own keys and the seed's keys (config-seed.ts) accept and refuse the same values with the same words.
 */
import { z } from 'zod';

/**
 * Why a configuration was refused: `config_file_missing` (named by --config or CAUSEWAY_CONFIG, and absent),
 * `config_file_unreadable` (not TOML, or not readable), `invalid_setting` (a key of the file, a variable or an
 * argument with a bad value, a key the file should not have, or two keys that say the same thing), `unknown_option`
 * (on the command line) and `unsafe_binding` (a non-loopback address without tokens). The message names the key.
 */
export type ConfigErrorCode = 'config_file_missing' | 'config_file_unreadable' | 'invalid_setting' | 'unknown_option' | 'unsafe_binding';

export class ConfigError extends Error {
  constructor(
    readonly code: ConfigErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const isConfigError = (e: unknown, code?: ConfigErrorCode): e is ConfigError => e instanceof ConfigError && (code === undefined || e.code === code);

const POSITIVE = 'expected a positive integer';
export const positiveInt = z.number({ error: POSITIVE }).int({ error: POSITIVE }).positive({ error: POSITIVE }).max(Number.MAX_SAFE_INTEGER, { error: POSITIVE });
/** A positive integer up to `max`, said so when refused. */
export const positiveUpTo = (max: number) => positiveInt.max(max, { error: `expected a positive integer up to ${max}` });
export const nonEmptyString = z.string({ error: 'expected a non-empty string' }).trim().min(1, { error: 'expected a non-empty string' });
export const processName = nonEmptyString.regex(/^[A-Za-z0-9_.:-]{1,128}$/, { error: 'expected a process name (letters, digits, _ . : -)' });
export const flag = z.boolean({ error: 'expected true or false' });
export const port = z
  .number({ error: 'expected a port number (0–65535)' })
  .int({ error: 'expected a port number (0–65535)' })
  .min(0, { error: 'expected a port number (0–65535)' })
  .max(65535, { error: 'expected a port number (0–65535)' });

export const storeUrl = nonEmptyString.refine((u) => u.startsWith('sqlite:') || u.startsWith('memory:') || /^postgres(ql)?:\/\//.test(u), {
  error: 'expected sqlite:<path>, memory: or postgres://…',
});
export const brokerUrl = (schemes: string[]) =>
  nonEmptyString.refine((u) => schemes.some((s) => u.startsWith(`${s}://`)), { error: `expected a ${schemes.join('/')}:// URL` });

/** What an actor does with a key whose reducer failed (the actor node's `strategy`). */
export const STRATEGIES = ['restart', 'resume', 'stop'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const strategy = z.enum(STRATEGIES, { error: `expected one of ${STRATEGIES.join(', ')}` });
