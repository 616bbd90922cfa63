/**
 * Timeline and replay figures. Measured here: `replay_dry_run_events_per_s` (inputs per second through a
 * 3-node flow, http → filter → transform, in dry-run, memory store). The browser figures
 * (`timeline_100k_first_paint_ms`, `timeline_pan_frame_ms_median`) and `causality_query_1m_ms` are not measured
 * by this group yet.
 */
import { openMemoryStore } from '../../server/store/memory.js';
import type { EventDraft } from '../../shared/event.js';
import type { Flow } from '../../shared/flow.js';
import { ReplayRun } from '../../server/replay/run.js';
import type { FigureGroup } from '../run.js';

const INPUTS = 20_000;

export const timelineFigures: FigureGroup = {
  names: ['replay_dry_run_events_per_s'],
  async run() {
    const store = openMemoryStore();
    const flow = (await store.flows.create({
      id: 'bench',
      name: 'bench',
      nodes: [
        { id: 'in', type: 'http', config: { types: ['reading'] } },
        { id: 'warm', type: 'filter', config: { expression: 'data.t > 8' } },
        { id: 'conv', type: 'transform', config: { expression: "{'celsius': data.t}", type: 'converted' } },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'warm' },
        { id: 'e2', source: 'warm', target: 'conv' },
      ],
    } as never)) as Flow;
    const drafts: EventDraft[] = Array.from({ length: INPUTS }, (_, i) => ({
      id: `r${i}`,
      type: 'reading',
      source: 'bench',
      time: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
      subject: null,
      datacontenttype: 'application/json',
      data: { t: i % 16 },
      stream: 'bench',
      process: 'dev',
      vectorClock: { dev: i + 1 },
      correlationId: `r${i}`,
      causationId: null,
      flowId: null,
      nodeId: null,
      revision: null,
      metadata: {},
    }));
    for (let i = 0; i < drafts.length; i += 1000) await store.append(drafts.slice(i, i + 1000));
    const run = new ReplayRun('bench', { flowId: flow.id, mode: 'dry-run', speed: 'max' }, store, { pollMs: 2, settleMs: 1000, feedBatch: 1000 });
    const started = process.hrtime.bigint();
    const status = await run.run(flow);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await store.close();
    if (status.state !== 'done') throw new Error(`the replay failed: ${status.error}`);
    return [{ name: 'replay_dry_run_events_per_s', value: INPUTS / seconds, unit: 'events/s' }];
  },
};
