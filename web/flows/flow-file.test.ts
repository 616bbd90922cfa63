import { describe, expect, it } from 'vitest';
import { exportFlow, importFlow } from './flow-file.js';

const flow = { name: 'Sites', description: 'by site', nodes: [], edges: [] };

describe('flow files', () => {
  it('export and import a flow with its partition key, and one without as without', () => {
    expect(importFlow(exportFlow({ ...flow, partitionKey: 'data.site' }))).toEqual({ ...flow, partitionKey: 'data.site' });
    const without = exportFlow(flow);
    expect(without).not.toContain('partitionKey');
    expect(importFlow(without)).toEqual(flow);
  });

  it('refuses a partition key that is not text, naming it', () => {
    expect(() => importFlow(JSON.stringify({ ...flow, partitionKey: 3 }))).toThrow(/^partitionKey: /);
  });
});
