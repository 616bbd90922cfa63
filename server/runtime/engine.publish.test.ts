import { describe, expect, it } from 'vitest';
import { happenedBefore } from '../../shared/clock.js';
import { openStore } from '../store/index.js';
import { Engine } from './engine.js';
import { useEngines } from './testing/engines.js';
import { reading } from './testing/flows.js';

const setup = useEngines();

describe('publishing', () => {
  it('stamps an external event with the engine process clock, its own correlation, and stores it before resolving', async () => {
    const { engine, store } = await setup();
    const [a] = await engine.publish([reading(1)]);
    const [b] = await engine.publish([{ ...reading(2), subject: 'sensor-9' }]);
    expect(a!.event.process).toBe('main');
    expect(a!.event.vectorClock).toEqual({ main: 1 });
    expect(b!.event.vectorClock).toEqual({ main: 2 });
    expect(a!.event.correlationId).toBe(a!.event.id);
    expect(a!.event.stream).toBe('test://sensor');
    expect(b!.event.stream).toBe('sensor-9');
    expect(await store.get(a!.event.id)).toEqual(a!.event);
  });

  it('adopts a device clock that moves the device on, and merges one that does not', async () => {
    const { engine } = await setup();
    const [first] = await engine.publish([{ ...reading(1), process: 'sensor-7', vectorClock: { 'sensor-7': 5, main: 2 } }]);
    expect(first!.event.vectorClock).toEqual({ 'sensor-7': 5, main: 2 });
    const [stale] = await engine.publish([{ ...reading(1), process: 'sensor-7', vectorClock: { 'sensor-7': 3 } }]);
    expect(stale!.event.vectorClock['sensor-7']).toBe(6);
    expect(happenedBefore(first!.event.vectorClock, stale!.event.vectorClock)).toBe(true);
  });


  it('resumes every process counter from the store after a restart', async () => {
    const store = await openStore('memory:');
    const first = new Engine({ store });
    await first.publish([reading(1), reading(2)]);
    await first.close();
    const { engine } = await setup({}, store);
    const [next] = await engine.publish([reading(3)]);
    expect(next!.event.vectorClock.main).toBe(3);
  });
});
