import { describe, expect, it } from 'vitest';
import { parseLiveMessage } from './messages.js';

const storedEvent = {
  id: '0193a1',
  type: 'reading.recorded',
  source: 'mqtt://plant/sensor-7',
  time: '2026-01-05T10:00:00.000Z',
  subject: null,
  data: { t: 4.2 },
  stream: 'sensor-7',
  version: 12,
  position: 4711,
  process: 'sensor-7',
  vectorClock: { 'sensor-7': 12, main: 40 },
  correlationId: '0193a0',
  causationId: null,
  flowId: 'f-1',
  nodeId: 'n1',
  metadata: {},
};

const nodes = { n1: { in: 10, out: 9, errors: 1, queued: 0 }, n2: { in: 9, out: 9, errors: 0, queued: 2 } };

describe('reading good live messages', () => {
  it('reads a status message with state, revision and node counters', () => {
    const data = JSON.stringify({ state: 'running', revision: 3, nodes, error: null });
    expect(parseLiveMessage('status', data)).toEqual({ kind: 'status', status: { state: 'running', revision: 3, nodes } });
  });

  it('reads the counters of subflow instances, leaving out an entry that is not whole', () => {
    const instances = { sub: { in: 4, out: 3, errors: 0, queued: 0, lastAt: '2026-01-05T10:00:00.000Z' }, broken: { in: 'x' } };
    const data = JSON.stringify({ state: 'running', revision: 3, nodes, instances, error: null });
    expect(parseLiveMessage('status', data)).toEqual({ kind: 'status', status: { state: 'running', revision: 3, nodes, instances: { sub: instances.sub } } });
  });

  it('reads a debug message with the node and the event that reached it', () => {
    const data = JSON.stringify({ nodeId: 'n2', event: storedEvent });
    expect(parseLiveMessage('debug', data)).toEqual({ kind: 'debug', nodeId: 'n2', event: storedEvent });
  });

  it('reads an unnamed message whose type is given in an envelope around the data', () => {
    const status = JSON.stringify({ type: 'status', data: { state: 'running', revision: 1, nodes } });
    expect(parseLiveMessage('message', status)).toEqual({ kind: 'status', status: { state: 'running', revision: 1, nodes } });
    const debug = JSON.stringify({ kind: 'debug', data: { nodeId: 'n1', event: storedEvent } });
    expect(parseLiveMessage('message', debug)).toEqual({ kind: 'debug', nodeId: 'n1', event: storedEvent });
  });

  it('reads an unnamed message whose type sits beside its fields', () => {
    const data = JSON.stringify({ type: 'debug', nodeId: 'n1', event: storedEvent });
    expect(parseLiveMessage('message', data)).toEqual({ kind: 'debug', nodeId: 'n1', event: storedEvent });
  });

  it('reads a stopped flow that has no deployed revision', () => {
    const data = JSON.stringify({ state: 'stopped', revision: null, nodes: {} });
    expect(parseLiveMessage('status', data)).toEqual({ kind: 'status', status: { state: 'stopped', revision: null, nodes: {} } });
  });

  it('counts any state other than running as stopped', () => {
    for (const state of ['starting', 'failed', 42, undefined]) {
      const message = parseLiveMessage('status', JSON.stringify({ state, revision: 2, nodes: {} }));
      expect(message?.kind === 'status' && message.status.state, String(state)).toBe('stopped');
    }
  });

  it('reads a revision that is not a number as none', () => {
    const message = parseLiveMessage('status', JSON.stringify({ state: 'running', revision: '3', nodes: {} }));
    expect(message?.kind === 'status' && message.status.revision).toBeNull();
  });
});

describe('ignoring malformed live messages', () => {
  it('ignores data that is not JSON', () => {
    expect(parseLiveMessage('status', '')).toBeNull();
    expect(parseLiveMessage('status', '{"state":')).toBeNull();
    expect(parseLiveMessage('debug', 'hello')).toBeNull();
  });

  it('ignores JSON that is not an object', () => {
    for (const data of ['null', '42', '"status"', 'true', JSON.stringify([{ nodes: {} }])]) {
      expect(parseLiveMessage('status', data), data).toBeNull();
    }
  });

  it('ignores a status without node counters', () => {
    expect(parseLiveMessage('status', JSON.stringify({ state: 'running', revision: 1 }))).toBeNull();
    expect(parseLiveMessage('status', JSON.stringify({ state: 'running', nodes: null }))).toBeNull();
    expect(parseLiveMessage('status', JSON.stringify({ state: 'running', nodes: [nodes.n1] }))).toBeNull();
  });

  it('leaves out node counters that are not all numbers, keeping the whole ones', () => {
    const message = parseLiveMessage('status', JSON.stringify({ state: 'running', revision: 1, nodes: { n1: nodes.n1, n2: null, n3: { in: 'x' } } }));
    expect(message).toEqual({ kind: 'status', status: { state: 'running', revision: 1, nodes: { n1: nodes.n1 } } });
  });

  it('keeps a node’s last-event time and live keys when they are what they say', () => {
    const n1 = { ...nodes.n1, lastAt: '2026-05-01T10:00:00.000Z', keys: 3 };
    const message = parseLiveMessage('status', JSON.stringify({ state: 'running', revision: 1, nodes: { n1, n2: { ...nodes.n2, lastAt: 5, keys: 'many' } } }));
    expect(message).toEqual({ kind: 'status', status: { state: 'running', revision: 1, nodes: { n1, n2: nodes.n2 } } });
  });

  it('ignores a debug message without a node id or an event', () => {
    expect(parseLiveMessage('debug', JSON.stringify({ event: storedEvent }))).toBeNull();
    expect(parseLiveMessage('debug', JSON.stringify({ nodeId: 7, event: storedEvent }))).toBeNull();
    expect(parseLiveMessage('debug', JSON.stringify({ nodeId: 'n1' }))).toBeNull();
    expect(parseLiveMessage('debug', JSON.stringify({ nodeId: 'n1', event: 'reading.recorded' }))).toBeNull();
    expect(parseLiveMessage('debug', JSON.stringify({ nodeId: 'n1', event: [storedEvent] }))).toBeNull();
  });

  it('ignores messages of other kinds', () => {
    expect(parseLiveMessage('event', JSON.stringify({ nodeId: 'n1', event: storedEvent, nodes }))).toBeNull();
    expect(parseLiveMessage('message', JSON.stringify({ type: 'heartbeat', data: { nodes } }))).toBeNull();
  });

  it('ignores an unnamed message that does not say its kind', () => {
    expect(parseLiveMessage('message', JSON.stringify({ state: 'running', nodes }))).toBeNull();
    expect(parseLiveMessage('message', JSON.stringify({ nodeId: 'n1', event: storedEvent }))).toBeNull();
  });

  it('takes the kind of a named message from its name, not from its body', () => {
    const data = JSON.stringify({ type: 'debug', nodeId: 'n1', event: storedEvent });
    expect(parseLiveMessage('status', data)).toBeNull();
  });
});
