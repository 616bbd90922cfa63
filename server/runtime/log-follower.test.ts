import { describe, expect, it } from 'vitest';
import { LogFollower, type Quieting } from './log-follower.js';

/** A flow's steps of settling, recording which ran; `inFlight` never resolves when `stuck`. */
function flowSteps(options: { failed?: boolean; frozen?: boolean; stuck?: boolean } = {}) {
  const steps: string[] = [];
  const logged: string[] = [];
  const flow: Quieting = {
    flush: async () => void steps.push('flush'),
    failed: () => options.failed ?? false,
    inFlight: () => (steps.push('in flight'), options.stuck ? new Promise<void>(() => {}) : Promise.resolve()),
    frozen: () => options.frozen ?? false,
    log: (message) => logged.push(message),
  };
  return { flow, steps, logged };
}

describe('when a draining flow is quiet', () => {
  it('is quiet once what nodes hold is flushed, nothing is in flight and the log has brought back its own appends', async () => {
    const follower = new LogFollower(0);
    follower.appended([{ position: 3 }, { position: 7 }]);
    follower.dispatched(7);
    const { flow, steps } = flowSteps();
    await follower.settle(flow);
    expect(steps).toEqual(['flush', 'in flight']);
  });

  it('waits for the dispatcher to pass the highest position the flow appended, looking again when woken', async () => {
    const follower = new LogFollower(0);
    expect(follower.appended([{ position: 9 }, { position: 4 }])).toBe(9);
    const { flow, steps } = flowSteps();
    let settled = false;
    const settling = follower.settle(flow).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    follower.dispatched(9);
    follower.wake();
    await settling;
    expect(steps).toEqual(['flush', 'in flight', 'flush', 'in flight']);
  });

  it('stops at once when a node stalled: its held inputs would never let the flow be idle', async () => {
    const follower = new LogFollower(0);
    follower.appended([{ position: 5 }]);
    const { flow, steps } = flowSteps({ failed: true, stuck: true });
    await follower.settle(flow);
    expect(steps).toEqual(['flush']);
  });

  it('stops once frozen by an outside input, whatever the log still owes', async () => {
    const follower = new LogFollower(0);
    follower.appended([{ position: 5 }]);
    await follower.settle(flowSteps({ frozen: true }).flow);
  });

  it('stops waiting, and says so, when the log brings nothing for the stall time', async () => {
    const follower = new LogFollower(2);
    follower.appended([{ position: 5 }]);
    const { flow, logged } = flowSteps();
    const started = Date.now();
    await follower.settle(flow, 150);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(logged).toEqual(['drain stopped waiting for the log']);
  });
});
