/**
 * Fan-out: the same bytes to many clients, each behind a socket of its own speed.
 *
 * A producer appends each message, built once, to a tape; every client reading that tape has an outlet with its
 * own place on it. An outlet also takes chunks for its client alone (`push`: a greeting, a heartbeat, a catch-up).
 * Nothing is written when a chunk arrives: writes are made in rounds, in which each outlet with something new hands
 * its client everything since its last write as one write, and only if the client's socket takes more
 * (backpressure): a client whose socket is full is left alone until it drains. What one round sends to the clients
 * of a tape that were level with each other is joined once and the same bytes go to all of them, so the cost of a
 * message is one append, and the cost of a round one write per client, however many messages it carries.
 *
 * A round yields to the event loop every few milliseconds and is followed by a pause twice as long as it took (sinks
 * write synchronously, so the time counts the writes): the fan-out takes at most about a third of the event loop,
 * however many clients there are; more clients mean fewer, larger writes. A client further behind than its bound
 * (what waits for it, on the tape and its own) overflows: it is dropped and its owner told, once.
 */

/** Where an outlet's bytes go: the client's socket, through its response. */
export interface Sink {
  /** Whether the client takes more now; writing when it does not only piles bytes up in memory. */
  readonly ready: boolean;
  /** Writes the chunks, in order, as one write where the transport allows. */
  write(chunks: readonly Uint8Array[]): void;
}

export interface OutletOptions {
  /** Bytes that may wait for the client (on its tape and its own); more overflow the outlet. */
  maxQueuedBytes: number;
  /** Called once when the outlet overflows, with the mark of the last chunk the client was handed. */
  onOverflow: (lastMark: string | undefined) => void;
}

export interface FanoutOptions {
  /** The longest stretch of writing before the event loop gets a turn (ms). */
  sliceMs?: number;
  /** The pause after a round, as a multiple of the time the round took. */
  pauseFactor?: number;
  /** The longest pause between two rounds (ms). */
  maxPauseMs?: number;
}

const DEFAULT_SLICE_MS = 4;
const DEFAULT_PAUSE_FACTOR = 4;
const DEFAULT_MAX_PAUSE_MS = 1000;
/** Outlets flushed between two looks at the clock. */
const CLOCK_EVERY = 32;

/**
 * Chunks appended once and read by many outlets (of one fan-out), each at its own index; what all have read is let
 * go, and what is appended while nobody reads is not kept.
 */
export class Tape {
  private chunks: Uint8Array[] = [];
  private marks: (string | undefined)[] = [];
  /** `starts[i]`: bytes appended before `chunks[i]`. */
  private starts: number[] = [];
  /** The index of `chunks[0]` since the tape began. */
  private base = 0;
  private bytes = 0;
  /** The last join handed out: the readers level with each other in a round share it. */
  private joined: { from: number; to: number; chunk: Uint8Array; mark: string | undefined } | null = null;
  readonly readers = new Set<Outlet>();
  /** In the fan-out's list of tapes with news for the next round. */
  dirty = false;
  /** The fan-out of its readers' outlets, known once one follows. */
  fanout: Fanout | null = null;

  /** The index the next chunk gets. */
  get end(): number {
    return this.base + this.chunks.length;
  }

  /** Appends a chunk for every reader; `mark` names what it ends with (an SSE id). */
  append(chunk: Uint8Array, mark?: string): void {
    if (this.readers.size === 0) {
      // Nobody will read it: the tape only moves on.
      this.base = this.end + 1;
      this.chunks = [];
      this.marks = [];
      this.starts = [];
      return;
    }
    this.chunks.push(chunk);
    this.marks.push(mark);
    this.starts.push(this.bytes);
    this.bytes += chunk.byteLength;
    this.fanout?.scheduleTape(this);
  }

  /** Bytes from index `from` (or the first chunk held) to the end. */
  bytesFrom(from: number): number {
    return from >= this.end ? 0 : this.bytes - this.starts[Math.max(0, from - this.base)]!;
  }

  /** Bytes of the chunks held (not yet read by every reader). */
  get heldBytes(): number {
    return this.bytesFrom(this.base);
  }

  /** Everything from `from` to the end as one chunk, and the last mark in it. */
  read(from: number): { chunk: Uint8Array; mark: string | undefined } | null {
    const to = this.end;
    if (from >= to) return null;
    if (this.joined && this.joined.from === from && this.joined.to === to) return this.joined;
    const first = from - this.base;
    const parts = this.chunks.slice(first);
    let mark: string | undefined;
    for (let i = this.marks.length - 1; i >= first && mark === undefined; i--) mark = this.marks[i];
    this.joined = { from, to, chunk: parts.length === 1 ? parts[0]! : Buffer.concat(parts), mark };
    return this.joined;
  }

  /** Lets go of the chunks every reader has read. */
  trim(): void {
    let least = this.end;
    for (const reader of this.readers) least = Math.min(least, reader.cursor);
    const drop = least - this.base;
    if (drop <= 0) return;
    this.chunks.splice(0, drop);
    this.marks.splice(0, drop);
    this.starts.splice(0, drop);
    this.base = least;
  }
}

export class Outlet {
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  private queuedMark: string | undefined;
  private handedMark: string | undefined;
  private waiters: (() => void)[] = [];
  private isClosed = false;
  private tape: Tape | null = null;
  private paused = false;
  /** The index of the next chunk of its tape this outlet hands over. */
  cursor = 0;
  /** In the fan-out's list of outlets to flush. */
  dirty = false;

  constructor(
    private readonly fanout: Fanout,
    private readonly sink: Sink,
    private readonly options: OutletOptions,
  ) {}

  /** Bytes waiting for the client: its own, and its tape's since its place. */
  get queuedBytes(): number {
    return this.bytes + (this.tape ? this.tape.bytesFrom(this.cursor) : 0);
  }

  /** Bytes pushed for this client alone and not handed over yet. */
  get ownBytes(): number {
    return this.bytes;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Queues a chunk for this client alone (it goes before what the tape has for it). `mark` names what the chunk ends
   * with (an SSE id), so an overflow can say where the client got to. False when closed or overflowed.
   */
  push(chunk: Uint8Array, mark?: string): boolean {
    if (this.isClosed) return false;
    const queued = this.queuedBytes;
    if (queued > 0 && queued + chunk.byteLength > this.options.maxQueuedBytes) {
      this.overflow();
      return false;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.byteLength;
    if (mark !== undefined) this.queuedMark = mark;
    this.fanout.schedule(this);
    return true;
  }

  /**
   * Reads `tape` from its end on: what is appended from now on. Paused, the outlet keeps its place (what is appended
   * meanwhile counts against its bound) and hands nothing from the tape until `resume`.
   */
  follow(tape: Tape, options: { paused?: boolean } = {}): void {
    if (this.isClosed) return;
    this.tape = tape;
    this.cursor = tape.end;
    this.paused = options.paused ?? false;
    tape.readers.add(this);
    tape.fanout ??= this.fanout;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.queuedBytes > 0) this.fanout.schedule(this);
  }

  /** The client takes more now (its socket drained). */
  wake(): void {
    if (this.queuedBytes > 0) this.fanout.schedule(this);
  }

  /** Resolves once everything queued for the client was handed over (or the outlet closed). */
  drained(): Promise<void> {
    if (this.isClosed || this.pendingBytes() === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops what waits and tells the owner; the outlet takes nothing more. */
  overflow(): void {
    if (this.isClosed) return;
    this.close();
    this.options.onOverflow(this.handedMark);
  }

  /** Drops what waits; the outlet takes nothing more. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.chunks = [];
    this.bytes = 0;
    this.tape?.readers.delete(this);
    this.tape = null;
    this.settle();
  }

  /** Hands the client everything waiting for it in one write, if it takes more now (else `wake` brings it back). */
  flush(): void {
    this.dirty = false;
    if (this.isClosed) return;
    const ready = this.sink.ready;
    // Too far behind: a socket that takes nothing with more than the bound waiting, or a place on the tape, paused
    // for a catch-up, that the tape got further ahead of than the bound.
    const lag = this.tape ? this.tape.bytesFrom(this.cursor) : 0;
    if (ready ? this.paused && lag > this.options.maxQueuedBytes : this.bytes + lag > this.options.maxQueuedBytes) return this.overflow();
    if (!ready) return;
    const fromTape = this.tape && !this.paused ? this.tape.read(this.cursor) : null;
    if (this.bytes === 0 && !fromTape) return;
    const chunks = this.chunks;
    if (fromTape) chunks.push(fromTape.chunk);
    this.chunks = [];
    this.bytes = 0;
    const mark = fromTape?.mark ?? this.queuedMark;
    if (mark !== undefined) this.handedMark = mark;
    this.queuedMark = undefined;
    if (fromTape) this.cursor = this.tape!.end;
    try {
      this.sink.write(chunks);
    } catch {
      // A client whose response can take no more writes is gone: the round goes on for the others.
      return this.close();
    }
    this.settle();
  }

  /** Bytes `flush` would hand over now. */
  private pendingBytes(): number {
    return this.bytes + (this.tape && !this.paused ? this.tape.bytesFrom(this.cursor) : 0);
  }

  private settle(): void {
    if (this.waiters.length === 0 || (!this.isClosed && this.pendingBytes() > 0)) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

export class Fanout {
  /** Outlets and tapes with news for the next round. */
  private outlets: Outlet[] = [];
  private tapes: Tape[] = [];
  /** Outlets of the round under way, flushed up to `next`, and the tapes it let go of. */
  private round: Outlet[] = [];
  private roundTapes: Tape[] = [];
  private next = 0;
  /** A round is under way (or its pause): what is scheduled now waits for the next one. */
  private busy = false;
  /** Time spent writing in the round under way (ms). */
  private roundMs = 0;
  private readonly sliceMs: number;
  private readonly pauseFactor: number;
  private readonly maxPauseMs: number;

  constructor(options: FanoutOptions = {}) {
    this.sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    this.pauseFactor = options.pauseFactor ?? DEFAULT_PAUSE_FACTOR;
    this.maxPauseMs = options.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS;
  }

  open(sink: Sink, options: OutletOptions): Outlet {
    return new Outlet(this, sink, options);
  }

  /** Flushes the outlet in the next round (at once when none is under way). */
  schedule(outlet: Outlet): void {
    if (outlet.dirty) return;
    outlet.dirty = true;
    this.outlets.push(outlet);
    this.wantRound();
  }

  /** Flushes the tape's readers in the next round. */
  scheduleTape(tape: Tape): void {
    if (tape.dirty) return;
    tape.dirty = true;
    this.tapes.push(tape);
    this.wantRound();
  }

  private wantRound(): void {
    if (this.busy) return;
    this.busy = true;
    setImmediate(this.startRound);
  }

  private readonly startRound = (): void => {
    if (this.outlets.length === 0 && this.tapes.length === 0) {
      this.busy = false;
      return;
    }
    // What is scheduled from now on waits for the next round: a round ends, however fast news comes.
    this.round = this.outlets;
    this.roundTapes = this.tapes;
    this.outlets = [];
    this.tapes = [];
    for (const tape of this.roundTapes) {
      tape.dirty = false;
      for (const reader of tape.readers) {
        if (reader.dirty) continue;
        reader.dirty = true;
        this.round.push(reader);
      }
    }
    this.next = 0;
    this.roundMs = 0;
    this.slice();
  };

  /** Flushes outlets until the slice's time is up, then yields; a finished round is followed by a pause. */
  private readonly slice = (): void => {
    const started = performance.now();
    const round = this.round;
    let outOfTime = false;
    while (this.next < round.length && !outOfTime) {
      round[this.next++]!.flush();
      outOfTime = this.next % CLOCK_EVERY === 0 && performance.now() - started >= this.sliceMs;
    }
    if (this.next < round.length) {
      this.roundMs += performance.now() - started;
      setImmediate(this.slice);
      return;
    }
    for (const tape of this.roundTapes) tape.trim();
    this.roundMs += performance.now() - started;
    this.round = [];
    this.roundTapes = [];
    const pause = Math.min(this.roundMs * this.pauseFactor, this.maxPauseMs);
    // What is scheduled meanwhile waits for the pause's end: its writes join those of the next round.
    if (pause >= 1) setTimeout(this.startRound, pause).unref();
    else setImmediate(this.startRound);
  };
}
