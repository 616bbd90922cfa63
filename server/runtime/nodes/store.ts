import { storeSink } from '../../../shared/nodes/sinks.js';
import type { NodeFactory } from '../node.js';
import { configOf } from './config.js';

/**
 * Appends each event to a named stream. With `expectVersion`, each append states the version it follows,
 * so a concurrent writer to the same stream makes it fail (and the event goes to the dead-letter stream).
 */
export const store: NodeFactory = (ctx) => {
  const config = configOf(storeSink, ctx);
  let version: number | undefined;
  return {
    handle: (event) => [
      {
        kind: 'emit',
        type: config.type ?? event.type,
        data: event.data,
        subject: event.subject,
        stream: config.stream,
        ...(config.expectVersion && version !== undefined ? { expectedVersion: version } : {}),
      },
    ],
    committed: (stored: { version: number }) => {
      version = stored.version;
    },
  };
};
