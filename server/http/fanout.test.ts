import { describe, expect, it } from 'vitest';
import { Fanout, Tape, type Outlet, type Sink } from './fanout.js';

/** A client's socket: takes writes while `ready`, and records them. */
class FakeSink implements Sink {
  ready = true;
  writes: Uint8Array[][] = [];

  write(chunks: readonly Uint8Array[]): void {
    this.writes.push([...chunks]);
  }

  /** Everything written, as text. */
  get text(): string {
    return this.writes.map((w) => w.map((c) => Buffer.from(c).toString()).join('')).join('');
  }
}

/** Lets the fan-out run its rounds (no pause between them: `pauseFactor: 0`). */
const rounds = async (n = 3) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

const bytes = (text: string) => Buffer.from(text);

function setUp(maxQueuedBytes = 1000) {
  const fanout = new Fanout({ pauseFactor: 0 });
  const overflows: (string | undefined)[][] = [];
  const open = (sink = new FakeSink()) => {
    const seen: (string | undefined)[] = [];
    overflows.push(seen);
    const outlet = fanout.open(sink, { maxQueuedBytes, onOverflow: (mark) => seen.push(mark) });
    return { sink, outlet, overflows: seen };
  };
  return { fanout, open };
}

describe('fan-out', () => {
  it('hands every reader of a tape the very chunk that was appended once', async () => {
    const { open } = setUp();
    const tape = new Tape();
    const clients = [open(), open(), open()];
    for (const c of clients) c.outlet.follow(tape);
    const frame = bytes('data: 1\n\n');
    tape.append(frame, '1');
    await rounds();
    for (const c of clients) {
      expect(c.sink.writes).toHaveLength(1);
      expect(c.sink.writes[0]![0]).toBe(frame);
    }
  });

  it('sends what arrived in one turn as one write per client, joined once for the clients level with each other', async () => {
    const { open } = setUp();
    const tape = new Tape();
    const a = open();
    const b = open();
    a.outlet.follow(tape);
    b.outlet.follow(tape);
    tape.append(bytes('one\n'), '1');
    tape.append(bytes('two\n'), '2');
    tape.append(bytes('three\n'), '3');
    await rounds();
    expect(a.sink.writes).toHaveLength(1);
    expect(a.sink.text).toBe('one\ntwo\nthree\n');
    expect(b.sink.writes[0]![0]).toBe(a.sink.writes[0]![0]);
  });

  it('does not write to a client whose socket is full; once it drains, it gets everything waiting in one write', async () => {
    const { open } = setUp();
    const tape = new Tape();
    const slow = open();
    const fast = open();
    slow.outlet.follow(tape);
    fast.outlet.follow(tape);
    slow.sink.ready = false;
    tape.append(bytes('a'), '1');
    await rounds();
    tape.append(bytes('b'), '2');
    await rounds();
    expect(slow.sink.writes).toEqual([]);
    expect(fast.sink.writes).toHaveLength(2);
    slow.sink.ready = true;
    slow.outlet.wake();
    await rounds();
    expect(slow.sink.writes).toHaveLength(1);
    expect(slow.sink.text).toBe('ab');
  });

  it('drops a client that falls further behind than its bound, once, naming the last mark it was handed; the others go on', async () => {
    const { open } = setUp(10);
    const tape = new Tape();
    const slow = open();
    const fast = open();
    slow.outlet.follow(tape);
    fast.outlet.follow(tape);
    tape.append(bytes('12345'), '1');
    await rounds();
    slow.sink.ready = false;
    tape.append(bytes('abcde'), '2');
    await rounds();
    expect(slow.overflows).toEqual([]);
    tape.append(bytes('fghij'), '3');
    tape.append(bytes('klmno'), '4');
    await rounds();
    expect(slow.overflows).toEqual(['1']);
    expect(slow.outlet.closed).toBe(true);
    expect(slow.outlet.push(bytes('more'))).toBe(false);
    expect(fast.overflows).toEqual([]);
    expect(fast.sink.text).toBe('12345abcdefghijklmno');
    expect(tape.readers.has(slow.outlet)).toBe(false);
  });

  it('overflows a client whose own queue would pass its bound, but always takes one chunk when nothing waits', async () => {
    const { open } = setUp(10);
    const c = open();
    c.sink.ready = false;
    expect(c.outlet.push(bytes('a much longer chunk than the bound'), '1')).toBe(true);
    expect(c.outlet.push(bytes('x'), '2')).toBe(false);
    expect(c.overflows).toEqual([undefined]);
  });

  it('sends a client its own chunks before what the tape has for it', async () => {
    const { open } = setUp();
    const tape = new Tape();
    const c = open();
    c.outlet.push(bytes(': hello\n'));
    c.outlet.follow(tape);
    tape.append(bytes('tape\n'), '1');
    await rounds();
    expect(c.sink.writes).toHaveLength(1);
    expect(c.sink.text).toBe(': hello\ntape\n');
  });

  it('keeps a paused reader its place: it gets its own chunks first, then what the tape brought meanwhile', async () => {
    const { open } = setUp();
    const tape = new Tape();
    const other = open();
    other.outlet.follow(tape);
    tape.append(bytes('before\n'), '1');
    const late = open();
    late.outlet.follow(tape, { paused: true });
    tape.append(bytes('live\n'), '3');
    await rounds();
    late.outlet.push(bytes('caught up\n'), '2');
    await rounds();
    expect(late.sink.text).toBe('caught up\n');
    late.outlet.resume();
    await rounds();
    expect(late.sink.text).toBe('caught up\nlive\n');
    expect(other.sink.text).toBe('before\nlive\n');
  });

  it('drops a paused reader the tape gets too far ahead of, even while its socket takes everything', async () => {
    const { open } = setUp(10);
    const tape = new Tape();
    const late = open();
    late.outlet.follow(tape, { paused: true });
    tape.append(bytes('123456'), '1');
    await rounds();
    expect(late.overflows).toEqual([]);
    tape.append(bytes('789012'), '2');
    await rounds();
    expect(late.overflows).toEqual([undefined]);
  });

  it('does not count a paused reader’s own chunks, which its socket takes, as falling behind', async () => {
    const { open } = setUp(10);
    const tape = new Tape();
    const late = open();
    late.outlet.follow(tape, { paused: true });
    late.outlet.push(bytes('a catch-up chunk longer than the bound'), '1');
    await rounds();
    expect(late.overflows).toEqual([]);
    expect(late.sink.text).toBe('a catch-up chunk longer than the bound');
  });

  it('drops a client whose response can take no more writes, and goes on writing to the others', async () => {
    const { open } = setUp();
    const tape = new Tape();
    const broken = new FakeSink();
    broken.write = () => {
      throw new TypeError('the stream is closed');
    };
    const gone = open(broken);
    const others = [open(), open()];
    gone.outlet.follow(tape);
    for (const c of others) c.outlet.follow(tape);
    tape.append(bytes('a'), '1');
    await rounds();
    tape.append(bytes('b'), '2');
    await rounds();
    expect(gone.outlet.closed).toBe(true);
    for (const c of others) expect(c.sink.text).toBe('ab');
  });

  it('resolves drained once everything queued was handed to the client', async () => {
    const { open } = setUp();
    const c: { outlet: Outlet; sink: FakeSink } = open();
    c.sink.ready = false;
    c.outlet.push(bytes('a'));
    let drained = false;
    void c.outlet.drained().then(() => (drained = true));
    await rounds();
    expect(drained).toBe(false);
    c.sink.ready = true;
    c.outlet.wake();
    await rounds();
    expect(drained).toBe(true);
  });

  it('lets go of what every reader has read, and keeps nothing while nobody reads', async () => {
    const { open } = setUp();
    const tape = new Tape();
    tape.append(bytes('nobody hears this'));
    const c = open();
    c.outlet.follow(tape);
    expect(tape.heldBytes).toBe(0);
    tape.append(bytes('abc'), '1');
    expect(tape.heldBytes).toBe(3);
    await rounds();
    expect(c.sink.text).toBe('abc');
    expect(tape.heldBytes).toBe(0);
  });

  it('pauses after a round in proportion to its length, so what arrives meanwhile goes out in one write', async () => {
    const fanout = new Fanout({ pauseFactor: 4, maxPauseMs: 1000 });
    const tape = new Tape();
    const writes: string[] = [];
    // A slow socket write makes the first round take 50 ms or more: the next one waits 200 ms or more.
    const sink: Sink = {
      ready: true,
      write: (chunks) => {
        const until = performance.now() + 50;
        while (performance.now() < until);
        writes.push(Buffer.concat(chunks).toString());
      },
    };
    fanout.open(sink, { maxQueuedBytes: 1000, onOverflow: () => undefined }).follow(tape);
    tape.append(bytes('1'));
    await rounds(1);
    expect(writes).toEqual(['1']);
    // Five turns, each of which would have had a round of its own without the pause.
    for (let i = 0; i < 5; i++) {
      tape.append(bytes('x'));
      await rounds(1);
    }
    while (writes.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(writes).toEqual(['1', 'xxxxx']);
  });
});
