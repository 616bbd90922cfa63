/** Structured logs: pino, JSON lines on stdout. `LOG_LEVEL` picks the level (default info). */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Every line carries `process`; `destination` (default stdout) is where the lines go. */
export function createLogger(options: { level?: string; process?: string; destination?: DestinationStream } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const settings = {
    level,
    base: { process: options.process ?? 'main' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** A logger that writes nothing (tests). */
export const silentLogger = (): Logger => pino({ level: 'silent' });
