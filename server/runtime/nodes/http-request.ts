/**
 * The `http-request` sink: sends each event as a CloudEvent to a webhook, each attempt bounded by a timeout,
 * retried with backoff while the answer may change. An event that cannot be delivered becomes a NodeFailure,
 * so it goes to the dead-letter stream. In dry-run mode the request is recorded, not sent.
 */
import { toCloudEvent, type StoredEvent } from '../../../shared/event.js';
import { httpRequestSink } from '../../../shared/nodes/sinks.js';
import { NodeFailure, type NodeFactory } from '../node.js';
import { configOf } from './config.js';
import { backoffMs, decide, failureOf, type AttemptResult } from './http-request-retry.js';
import { sleep } from '../sleep.js';

export interface WebhookRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export function requestFor(event: StoredEvent, config: { url: string; method: string; headers: Record<string, string>; timeoutMs: number }): WebhookRequest {
  return {
    url: config.url,
    method: config.method,
    // The event id lets a receiver recognise a retried delivery.
    headers: { 'content-type': 'application/cloudevents+json', 'idempotency-key': event.id, ...config.headers },
    body: JSON.stringify(toCloudEvent(event)),
    timeoutMs: config.timeoutMs,
  };
}

/**
 * An attempt's own controller, aborted by its timer or by `stopped`. Not `AbortSignal.any` over
 * `AbortSignal.timeout`: Node 20 holds those sources weakly, so a garbage collection during the request
 * can drop the timeout and leave the attempt hanging forever.
 */
function attemptSignal(timeoutMs: number, stopped: AbortSignal): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, timeoutMs);
  stopped.addEventListener('abort', abort, { once: true });
  if (stopped.aborted) abort();
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      stopped.removeEventListener('abort', abort);
    },
  };
}

async function attempt(request: WebhookRequest, stopped: AbortSignal): Promise<AttemptResult> {
  const { signal, done } = attemptSignal(request.timeoutMs, stopped);
  try {
    const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal, redirect: 'follow' });
    // Read the body so the connection is released; its content does not matter.
    await response.arrayBuffer().catch(() => undefined);
    return { kind: 'response', status: response.status, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    if (signal.aborted && !stopped.aborted) return { kind: 'timeout' };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'network', message: cause?.code ?? cause?.message ?? (error as Error).message };
  } finally {
    done();
  }
}

/** Sends until delivered, refused for good, or out of retries; the last result and how many attempts. */
export async function deliver(request: WebhookRequest, retries: number, stopped: AbortSignal): Promise<{ result: AttemptResult; attempts: number; delivered: boolean }> {
  for (let attempts = 1; ; attempts++) {
    const result = await attempt(request, stopped);
    const decision = decide(result);
    if (decision === 'delivered') return { result, attempts, delivered: true };
    if (decision === 'give_up' || attempts > retries || stopped.aborted) return { result, attempts, delivered: false };
    await sleep(backoffMs(attempts, result.kind === 'response' ? result.retryAfter : null), stopped);
  }
}

export const httpRequest: NodeFactory = (ctx) => {
  const config = configOf(httpRequestSink, ctx);
  const { recordEffect } = ctx;
  const stopping = new AbortController();
  return {
    handle: async (event) => {
      const request = requestFor(event, config);
      if (recordEffect) {
        const { url, method, headers, body } = request;
        recordEffect({ kind: 'http-request', nodeId: ctx.node.id, eventId: event.id, url, method, headers, body });
        return [];
      }
      const { result, attempts, delivered } = await deliver(request, config.retries, stopping.signal);
      if (!delivered) {
        const { code, message } = failureOf(result, attempts, config.url);
        throw new NodeFailure(code, message, { attempts, ...(result.kind === 'response' ? { status: result.status } : {}) });
      }
      return [];
    },
    stop: () => stopping.abort(),
  };
};
