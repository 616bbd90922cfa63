/**
 * One ShiViz import as the parser's worker runs it: the body decoded, the log parsed and turned into event drafts,
 * the drafts encoded as JSON in batches of bytes. The main thread's share stays small whatever the log: it hands
 * over the body's bytes undecoded, and gets bytes back that are transferred without a copy and decoded one batch at
 * a time as they are appended (structured-cloning 100,000 drafts would itself hold its event loop for seconds).
 */
import type { EventDraft } from '../../shared/event.js';
import { parseShiViz, parseShiVizForm, processOf, shiVizDrafts, type ShiVizError, type UnmatchedLine } from '../../shared/shiviz.js';

export interface ShiVizJob {
  /** The request body, UTF-8. */
  body: Uint8Array;
  /** The text is ShiViz's upload form: the regex on line 1, the delimiter on line 2, then the log. */
  form: boolean;
  /** The parser regex; null: the default layout. */
  regex: string | null;
  delimiter: string | null;
  /** The events' `source`. */
  source: string;
  /** The first event's time (ms since the epoch). */
  start: number;
  /** Drafts per batch. */
  batchSize: number;
}

export type ShiVizJobResult =
  | {
      ok: true;
      /** The drafts in store order, as UTF-8 JSON arrays of at most `batchSize` each; see `draftsOf`. */
      batches: Uint8Array[];
      events: number;
      processes: string[];
      executions: string[];
      /** Each execution's label, event count and processes, in log order. */
      runs: { label: string; events: number; hosts: string[] }[];
      unmatched: UnmatchedLine[];
      unmatchedCount: number;
    }
  | { ok: false; error: ShiVizError }
  /** The body is not valid UTF-8. */
  | { ok: false; error: null };

/** Whether the job runs a regex or delimiter the user gave (so a time-out is the regex's fault). */
export const hasUserRegex = (job: Pick<ShiVizJob, 'form' | 'regex' | 'delimiter'>): boolean => job.form || job.regex !== null || !!job.delimiter?.trim();

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function runShiVizJob(job: ShiVizJob): ShiVizJobResult {
  let text: string;
  try {
    text = utf8.decode(job.body);
  } catch {
    return { ok: false, error: null };
  }
  const parsed = job.form ? parseShiVizForm(text) : parseShiViz(text, { ...(job.regex !== null ? { regex: job.regex } : {}), delimiter: job.delimiter });
  if (!parsed.ok) return parsed;
  const drafts = shiVizDrafts(parsed.log, { source: job.source, start: new Date(job.start) });
  const encoder = new TextEncoder();
  const batches: Uint8Array[] = [];
  for (let i = 0; i < drafts.length; i += job.batchSize) batches.push(encoder.encode(JSON.stringify(drafts.slice(i, i + job.batchSize))));
  return {
    ok: true,
    batches,
    events: drafts.length,
    processes: [...new Set(drafts.map((d) => d.process))],
    executions: parsed.log.executions.map((e) => e.label),
    runs: parsed.log.executions.map((e) => ({ label: e.label, events: e.events.length, hosts: e.hosts.map((h) => processOf(parsed.log, e.label, h)) })),
    unmatched: parsed.log.unmatched,
    unmatchedCount: parsed.log.unmatchedCount,
  };
}

const decoder = new TextDecoder();

/** One batch of a job's result as drafts again. */
export const draftsOf = (batch: Uint8Array): EventDraft[] => JSON.parse(decoder.decode(batch)) as EventDraft[];
