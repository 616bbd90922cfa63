/**
 * Flows' live streams, shared by every editor watching the same flow: one status tick per watched flow and one
 * debug listener for all of them, each message (as shared/api/flows.ts types it) framed once and sent to every stream
 * of its flow. Debug messages are best effort: a stream with half its buffer still waiting misses them (status
 * messages still go), as a debug view had better skip than fall behind.
 */
import type { DebugMessage, FlowLiveStatus } from '../../shared/api/flows.js';
import type { DebugMessage as RuntimeDebugMessage } from '../runtime/flow-runtime.js';
import type { Engine } from '../runtime/engine.js';
import { sseFrame, type SseChannel } from './sse.js';

interface Watch {
  channels: Set<SseChannel>;
  ticker: ReturnType<typeof setInterval>;
}

export class FlowFeeds {
  private readonly watches = new Map<string, Watch>();
  private offDebug: (() => void) | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly statusMs: number,
  ) {}

  /** Sends `channel` the flow's status now and on every tick, and its debug messages; returns the detach. */
  follow(flowId: string, channel: SseChannel): () => void {
    let watch = this.watches.get(flowId);
    if (!watch) {
      const channels = new Set<SseChannel>();
      const ticker = setInterval(() => {
        const frame = this.statusFrame(flowId);
        for (const c of channels) c.sendFrame(frame);
      }, this.statusMs);
      watch = { channels, ticker };
      this.watches.set(flowId, watch);
    }
    this.offDebug ??= this.engine.onDebug(this.onDebug);
    watch.channels.add(channel);
    channel.sendFrame(this.statusFrame(flowId));
    const mine = watch;
    return () => {
      if (!mine.channels.delete(channel) || mine.channels.size > 0) return;
      clearInterval(mine.ticker);
      this.watches.delete(flowId);
      if (this.watches.size === 0) {
        this.offDebug?.();
        this.offDebug = null;
      }
    };
  }

  private statusFrame(flowId: string): Buffer {
    const status = this.engine.status(flowId);
    const message: FlowLiveStatus = { state: status.state, revision: status.revision, nodes: status.nodes, ...(status.instances ? { instances: status.instances } : {}), error: status.error };
    return sseFrame('status', JSON.stringify(message));
  }

  private readonly onDebug = (m: RuntimeDebugMessage): void => {
    const watch = this.watches.get(m.flowId);
    if (!watch) return;
    let frame: Buffer | null = null;
    for (const channel of watch.channels) {
      if (channel.queuedBytes > channel.bufferBytes / 2) continue;
      frame ??= sseFrame('debug', JSON.stringify({ nodeId: m.nodeId, event: m.event } satisfies DebugMessage), String(m.event.position));
      channel.sendFrame(frame, String(m.event.position));
    }
  };
}
