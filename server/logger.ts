/** Structured logs: pino, JSON lines on stdout. `LOG_LEVEL` picks the level (default info). */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level?: string; process?: string } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  return pino({
    level,
    base: { process: options.process ?? 'main' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

/** A logger that writes nothing (tests). */
export const silentLogger = (): Logger => pino({ level: 'silent' });
