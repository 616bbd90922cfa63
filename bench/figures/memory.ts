/**
 * `server_rss_mb`: the resident memory of a real Causeway server process (SQLite, started as the HTTP figures start
 * it, no flow deployed) while it takes 1,000,000 events and then while its whole timeline is read back:
 * - `server_rss_ingest_mb`: the most seen while the 1,000,000 events arrive by `POST /api/events` batches of 500 from
 *   8 connections, as fast as the server acknowledges them;
 * - `server_rss_timeline_read_mb`: the most seen while `GET /api/timeline/events` is paged through from the newest
 *   event to the oldest, with the page sizes the web's timeline asks for, until the end;
 * - `server_rss_mb`: the larger of the two.
 * The server's RSS is read from /proc/<pid>/status (VmRSS) every 50 ms; its VmHWM (the kernel's own peak) is
 * logged beside it, as a check on what sampling could miss.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TimelinePage } from '../../shared/timeline-page.js';
import { exited, spawnServer } from '../../server/testing/spawn-server.js';
import { FIRST_PAGE, OLDER_PAGE } from '../../web/timeline/useTimelineEvents.js';
import type { FigureGroup } from '../figure-group.js';
import { event } from './http.js';

const EVENTS = 1_000_000;
const BATCH = 500;
const CONNECTIONS = 8;
const SAMPLE_MS = 50;

/** A field of /proc/<pid>/status in MB (the kernel gives kB). */
function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/** Samples a process's RSS until stopped; `most()` and `stop()` answer the most seen so far. */
export function rssSampler(pid: number): { most(): number; stop(): number } {
  let most = statusMb(pid, 'VmRSS');
  const timer = setInterval(() => {
    try {
      most = Math.max(most, statusMb(pid, 'VmRSS'));
    } catch {
      // The process has exited: nothing more to see.
    }
  }, SAMPLE_MS);
  return {
    most: () => most,
    stop() {
      clearInterval(timer);
      return most;
    },
  };
}

/** Sends `EVENTS` events in batches, `CONNECTIONS` requests at a time; answers events per second. */
async function ingest(url: string): Promise<number> {
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (sent < EVENTS) {
        const count = Math.min(BATCH, EVENTS - sent);
        sent += count;
        const body = JSON.stringify(Array.from({ length: count }, event));
        const answer = await fetch(`${url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents-batch+json' }, body });
        if (answer.status !== 202) throw new Error(`POST /api/events answered ${answer.status}: ${await answer.text()}`);
        await answer.arrayBuffer();
      }
    }),
  );
  return EVENTS / ((performance.now() - started) / 1000);
}

/** Pages through the timeline from the newest event back to the first, as the web does; answers the events read. */
async function readTimeline(url: string): Promise<number> {
  let read = 0;
  let query = `order=newest&limit=${FIRST_PAGE}`;
  for (;;) {
    const answer = await fetch(`${url}/api/timeline/events?${query}`);
    if (answer.status !== 200) throw new Error(`GET /api/timeline/events answered ${answer.status}: ${await answer.text()}`);
    const page = (await answer.json()) as TimelinePage;
    read += page.position.length;
    if (page.next === null) return read;
    query = `order=newest&before=${page.next}&limit=${OLDER_PAGE}`;
  }
}

export const memoryFigures: FigureGroup = {
  names: ['server_rss_mb', 'server_rss_ingest_mb', 'server_rss_timeline_read_mb'],
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'causeway-bench-rss-'));
    const { proc, ready } = spawnServer(join(dir, 'rss.db'));
    try {
      const { url } = await ready;
      const pid = proc.pid!;
      console.error(`server_rss: started at ${statusMb(pid, 'VmRSS').toFixed(0)} MB`);
      let sampler = rssSampler(pid);
      const rate = await ingest(url);
      const ingestMb = sampler.stop();
      console.error(`server_rss: ingested ${EVENTS.toLocaleString('en-US')} events at ${Math.round(rate).toLocaleString('en-US')} events/s`);
      sampler = rssSampler(pid);
      const started = performance.now();
      const read = await readTimeline(url);
      const readMb = sampler.stop();
      if (read !== EVENTS) throw new Error(`the timeline held ${read} events, expected ${EVENTS}`);
      console.error(`server_rss: read the timeline in ${((performance.now() - started) / 1000).toFixed(1)} s; VmHWM ${statusMb(pid, 'VmHWM').toFixed(0)} MB`);
      return [
        { name: 'server_rss_mb', value: Math.max(ingestMb, readMb), unit: 'MB', goal: '≤ 300' },
        { name: 'server_rss_ingest_mb', value: ingestMb, unit: 'MB' },
        { name: 'server_rss_timeline_read_mb', value: readMb, unit: 'MB' },
      ];
    } finally {
      proc.kill('SIGTERM');
      await exited(proc);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
