/**
 * Emmett's side of `emmett_pg_append`, in its own process: appends `streams` × `perStream` events to an Emmett
 * PostgreSQL event store, `perStream` events in one call per stream, from `writers` concurrent writers, with or
 * without an expected version (0: the stream is new). The store's schema is created and the code warmed up by the
 * same calls on other streams first, unmeasured. Prints `{"seconds": …, "events": …}` on standard output.
 *
 * Usage: node emmett-append.mjs <postgres URL> <streams> <per stream> <writers> <expected|any> <warm-up streams>
 */
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';

const [url, streamsArg, perStreamArg, writersArg, mode, warmupArg] = process.argv.slice(2);
const streams = Number(streamsArg);
const perStream = Number(perStreamArg);
const writers = Number(writersArg);
const warmups = Number(warmupArg);
if (!url || !(streams > 0) || !(perStream > 0) || !(writers > 0) || !['expected', 'any'].includes(mode) || !(warmups >= 0)) {
  throw new Error('usage: emmett-append.mjs <postgres URL> <streams> <per stream> <writers> <expected|any> <warm-up streams>');
}

const eventStore = getPostgreSQLEventStore(url);

/** The same readings as Causeway's side: a sensor and a temperature. */
const readings = (stream, count) =>
  Array.from({ length: count }, (_, i) => ({ type: 'reading.recorded', data: { sensor: stream, t: (i % 200) / 10 } }));

/** Appends to each of the streams, `writers` calls at a time; returns the seconds taken. */
async function appendAll(prefix, count) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < count) {
        const stream = `${prefix}-${next++}`;
        const options = mode === 'expected' ? { expectedStreamVersion: 0n } : undefined;
        await eventStore.appendToStream(stream, readings(stream, perStream), options);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

try {
  await appendAll('warmup', warmups);
  const seconds = await appendAll('reading', streams);
  process.stdout.write(`${JSON.stringify({ seconds, events: streams * perStream })}\n`);
} finally {
  await eventStore.close();
}
