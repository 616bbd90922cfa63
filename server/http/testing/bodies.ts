/** What the HTTP tests send: CloudEvents with their content types, and a small pipeline flow. */

/** A CloudEvent in structured mode. */
export const cloudEvent = (over: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: `ev-${Math.random().toString(36).slice(2)}`,
  source: 'test://sensor-1',
  type: 'reading.recorded',
  data: { t: 4.2 },
  ...over,
});

export const CE = { 'content-type': 'application/cloudevents+json' };
export const CE_BATCH = { 'content-type': 'application/cloudevents-batch+json' };

/** A flow: http in (reading.*) → filter (t > 8) → transform → store. */
export const pipelineFlow = (name = 'pipeline') => ({
  name,
  nodes: [
    { id: 'in', type: 'http', config: { types: ['reading.*'] } },
    { id: 'warm', type: 'filter', config: { expression: 'data.t > 8' } },
    { id: 'conv', type: 'transform', config: { expression: "{'celsius': data.t}", type: 'reading.converted' } },
    { id: 'keep', type: 'store', config: { stream: 'warm-readings' } },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'warm' },
    { id: 'e2', source: 'warm', target: 'conv' },
    { id: 'e3', source: 'conv', target: 'keep' },
  ],
});
