import { describe, expect, it } from 'vitest';
import { Mailbox } from './mailbox.js';
import { Progress } from './progress.js';
import { Routes, type Delivery } from './routes.js';
import { storedEvent } from './testing/fixtures.js';
import { graphOf } from './testing/flows.js';

/** http `in` (readings) and http `alerts` → `a` and `b`; router `r` → `b` by its port `hot`. */
async function routesOf(capacity = 8) {
  const graph = await graphOf(
    [
      { id: 'in', type: 'http', config: { types: ['reading.*'] } },
      { id: 'alerts', type: 'http', config: { types: ['alert.raised', 'reading.alarm'] } },
      { id: 'a', type: 'debug' },
      { id: 'b', type: 'debug' },
      { id: 'r', type: 'router', config: { rules: [{ port: 'hot', expression: 'data.t > 8' }] } },
    ],
    [
      ['in', 'a'],
      ['in', 'b'],
      ['in', 'r'],
      ['r', 'b', 'hot'],
    ],
  );
  const mailboxes = new Map(['a', 'b', 'r'].map((id) => [id, { mailbox: new Mailbox<Delivery>(capacity) }]));
  const progress = new Progress(0);
  return { graph, routes: new Routes(graph, mailboxes, progress), mailboxes, progress };
}

describe('where an event enters a flow', () => {
  it('enters an outside event by every http source whose types match it', async () => {
    const { routes } = await routesOf();
    expect(routes.entriesFor(storedEvent({ type: 'reading.alarm' }))).toEqual([
      { producer: 'in', port: 'out' },
      { producer: 'alerts', port: 'out' },
    ]);
    expect(routes.entriesFor(storedEvent({ type: 'alert.raised' }))).toEqual([{ producer: 'alerts', port: 'out' }]);
    expect(routes.entriesFor(storedEvent({ type: 'other' }))).toEqual([]);
  });

  it('enters an event of its own by the port of the node that produced it', async () => {
    const { routes, graph } = await routesOf();
    const own = (nodeId: string, metadata: Record<string, unknown>) => storedEvent({ flowId: graph.flowId, nodeId, metadata });
    expect(routes.entriesFor(own('r', { port: 'hot' }))).toEqual([{ producer: 'r', port: 'hot' }]);
    expect(routes.entriesFor(own('a', {}))).toEqual([{ producer: 'a', port: 'out' }]);
    expect(routes.entriesFor(own('gone', {}))).toEqual([]);
  });

  it('leaves out the events a re-drive stored: the re-drive already carried them through the flow', async () => {
    const { routes, graph } = await routesOf();
    expect(routes.entriesFor(storedEvent({ flowId: graph.flowId, nodeId: 'r', metadata: { port: 'hot', redrive: 'replay-1' } }))).toEqual([]);
  });

  it("never enters another flow's events, even of a type its sources take", async () => {
    const { routes } = await routesOf();
    expect(routes.entriesFor(storedEvent({ type: 'reading.recorded', flowId: 'f-other', nodeId: 'x' }))).toEqual([]);
  });

  it("enters a link-out's event, from any flow, by every link-in of its link and by nothing else", async () => {
    const graph = await graphOf(
      [
        { id: 'from', type: 'link-in', config: { link: 'alerts' } },
        { id: 'also', type: 'link-in', config: { link: 'alerts' } },
        { id: 'other', type: 'link-in', config: { link: 'other' } },
        { id: 'in', type: 'http', config: { types: ['*'] } },
        { id: 'a', type: 'debug' },
      ],
      [
        ['from', 'a'],
        ['also', 'a'],
        ['other', 'a'],
        ['in', 'a'],
      ],
    );
    const routes = new Routes(graph, new Map([['a', { mailbox: new Mailbox<Delivery>(8) }]]), new Progress(0));
    const linked = storedEvent({ flowId: 'f-elsewhere', nodeId: 'out', stream: 'link/alerts', type: 'alert.raised' });
    expect(routes.entriesFor(linked)).toEqual([
      { producer: 'from', port: 'out' },
      { producer: 'also', port: 'out' },
    ]);
    // Another flow's event on any other stream does not enter, nor does an outside event reach a link-in.
    expect(routes.entriesFor(storedEvent({ flowId: 'f-elsewhere', nodeId: 'out', stream: 'flow/f-elsewhere/out' }))).toEqual([]);
    expect(routes.entriesFor(storedEvent({ stream: 'link/alerts', type: 'x' }))).toEqual([{ producer: 'in', port: 'out' }]);
  });
});

describe('delivering an event', () => {
  it("puts it in the mailbox of every node wired after the port, with the edge it came by, each holding its position", async () => {
    const { routes, mailboxes, progress } = await routesOf();
    const event = storedEvent();
    expect(routes.deliverFrom('in', 'out', event)).toBeUndefined();
    expect([...mailboxes.entries()].map(([id, { mailbox }]) => [id, mailbox.size])).toEqual([
      ['a', 1],
      ['b', 1],
      ['r', 1],
    ]);
    expect((await mailboxes.get('b')!.mailbox.take(1))![0]).toEqual({ event, arrival: 'e2' });
    expect(progress.inFlight).toBe(1);
    for (let i = 0; i < 3; i++) progress.release(event.position);
    expect(progress.checkpoint).toBe(event.position);
  });

  it('waits for room in a full mailbox before the wires after it, then goes on in order', async () => {
    const { routes, mailboxes } = await routesOf(1);
    const first = storedEvent();
    const second = storedEvent();
    routes.deliverFrom('in', 'out', first);
    const waiting = routes.deliverFrom('in', 'out', second);
    expect(waiting).toBeInstanceOf(Promise);
    expect(mailboxes.get('b')!.mailbox.size).toBe(1);
    await mailboxes.get('a')!.mailbox.take(1);
    await mailboxes.get('b')!.mailbox.take(1);
    await mailboxes.get('r')!.mailbox.take(1);
    await waiting;
    expect((await mailboxes.get('r')!.mailbox.take(1))![0]!.event).toBe(second);
  });

  it('skips a closed mailbox and lets go of the position it would have held', async () => {
    const { routes, mailboxes, progress } = await routesOf();
    mailboxes.get('a')!.mailbox.close();
    const event = storedEvent();
    // As the dispatcher does: it holds the event itself while delivering.
    progress.hold(event.position);
    routes.deliverFrom('in', 'out', event);
    expect(mailboxes.get('b')!.mailbox.size).toBe(1);
    // Three holders are left (the dispatcher, b and r): the closed mailbox holds nothing.
    progress.release(event.position);
    progress.release(event.position);
    expect(progress.checkpoint).toBe(0);
    progress.release(event.position);
    expect(progress.checkpoint).toBe(event.position);
  });
});
