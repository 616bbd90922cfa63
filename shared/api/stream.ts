/**
 * What every server-sent event stream of the API has in common: a `text/event-stream` answer whose messages each
 * have a name (`event:`) and one line of JSON (`data:`), comment lines as heartbeats while idle, and a last
 * `overflow` message for a client that fell too far behind, after which the stream closes.
 */
import { z } from 'zod';

export const OverflowMessageSchema = z
  .strictObject({
    code: z.literal('stream_overflow'),
    message: z.string(),
    lastEventId: z.string().nullable().meta({ description: 'The id of the last message the client got, to resume after; null before any.' }),
  })
  .meta({ id: 'StreamOverflow', description: 'The last message to a client that fell too far behind; the stream then closes.' });
export type OverflowMessage = z.infer<typeof OverflowMessageSchema>;

/** The body of a stream as OpenAPI 3.1 can say it: text; the messages are listed beside it. */
export const EventStreamSchema = z.string().meta({
  description: 'Server-sent events: `event: <name>` and one `data: <JSON>` line per message (see `x-sse-messages`), `: heartbeat` comments while idle.',
});

/** The errors every stream may answer with instead of opening. */
export const STREAM_ERRORS = {
  429: 'this client has as many streams open as `http.maxStreamsPerClient` allows (`too_many_streams`, with Retry-After)',
  503: 'the server has as many streams open as `http.maxStreams` allows (`streams_full`, with Retry-After)',
} as const;
