import { describe, expect, it } from 'vitest';
import { Admission } from './admission.js';

/** An admission over a checkpoint and an open flag the test moves. */
function door(maxLag: number) {
  const flow = { checkpoint: 0, open: true };
  const admission = new Admission(maxLag, () => flow.checkpoint, () => flow.open);
  return { flow, admission };
}

/** Whether the promise settles within `ms`. */
const settlesWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('admission', () => {
  it('counts the lag from the checkpoint to the highest head seen, never below zero', () => {
    const { flow, admission } = door(10);
    admission.noteHead(30);
    admission.noteHead(20);
    flow.checkpoint = 5;
    expect(admission.lag).toBe(25);
    flow.checkpoint = 40;
    expect(admission.lag).toBe(0);
  });

  it('holds input back only while an open flow lags more than maxLag', () => {
    const { flow, admission } = door(10);
    admission.noteHead(10);
    expect(admission.behind).toBe(false);
    admission.noteHead(11);
    expect(admission.behind).toBe(true);
    flow.open = false;
    expect(admission.behind).toBe(false);
  });

  it('admits at once when the flow keeps up', async () => {
    const { admission } = door(10);
    admission.noteHead(3);
    expect(await settlesWithin(admission.admit(), 5)).toBe(true);
  });

  it('lets a waiter in once the checkpoint catches up and it is woken', async () => {
    const { flow, admission } = door(10);
    admission.noteHead(100);
    const admitted = admission.admit();
    expect(await settlesWithin(admitted, 20)).toBe(false);
    flow.checkpoint = 95;
    admission.wake();
    expect(await settlesWithin(admitted, 20)).toBe(true);
  });

  it('re-checks on its own every 50 ms, so a missed wake-up costs a moment, not forever', async () => {
    const { flow, admission } = door(10);
    admission.noteHead(100);
    const admitted = admission.admit();
    flow.checkpoint = 100;
    expect(await settlesWithin(admitted, 500)).toBe(true);
  });

  it('does not wake waiters while the lag is still too long', async () => {
    const { flow, admission } = door(10);
    admission.noteHead(100);
    const admitted = admission.admit();
    flow.checkpoint = 50;
    admission.wake();
    expect(await settlesWithin(admitted, 120)).toBe(false);
    flow.open = false;
    admission.wakeAll();
    expect(await settlesWithin(admitted, 20)).toBe(true);
  });
});
