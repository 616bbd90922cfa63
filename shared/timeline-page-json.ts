/**
 * The timeline's compact page (timeline-page.ts) written as JSON text while its events are read, one at a time.
 * Promise: the pieces `chunks(next)` gives, joined, are exactly `JSON.stringify(encodeTimelinePage(events, next))`
 * for the events added, in the order added.
 *
 * A page holds up to 50,000 events. Built as objects (the events, then the page's columns, then one string of it
 * all) it held a server's heap at several times the answer's size for as long as the page took to read, long enough
 * for the garbage collector to copy it all into the old generation. Here each column is kept as text, a thousand
 * events' worth to a piece, so what a page holds while it is read is about the size of its answer. Pure: no I/O.
 */
import type { StoredEvent } from './event.js';

/** Events per piece of each column: the values of the last piece are held as they are until it is written. */
const PIECE = 1024;

/** The page's columns after `strings`, in the order encodeTimelinePage gives them. */
const COLUMNS = ['position', 'id', 'type', 'source', 'process', 'flowId', 'nodeId', 'time', 'vectorClock', 'correlationId', 'causationId'] as const;
type Column = (typeof COLUMNS)[number];

const columnsOf = <T>(): Record<Column, T[]> => Object.fromEntries(COLUMNS.map((c) => [c, []])) as unknown as Record<Column, T[]>;

export class TimelinePageJson {
  private readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  /** Per column: its text so far, a piece per PIECE events, each piece the JSON of its values without brackets. */
  private readonly pieces = columnsOf<string>();
  /** Per column: the values of the piece being filled. */
  private readonly values = columnsOf<unknown>();
  private pending = 0;

  add(e: StoredEvent): void {
    const v = this.values;
    v.position.push(e.position);
    v.id.push(e.id);
    v.type.push(this.ref(e.type));
    v.source.push(this.ref(e.source));
    v.process.push(this.ref(e.process));
    v.flowId.push(this.ref(e.flowId));
    v.nodeId.push(this.ref(e.nodeId));
    v.time.push(Date.parse(e.time));
    v.vectorClock.push(e.vectorClock);
    v.correlationId.push(e.correlationId === e.id ? null : e.correlationId);
    v.causationId.push(e.causationId);
    if (++this.pending === PIECE) this.writePieces();
  }

  /** The page as pieces of JSON text, in order; `next` as encodeTimelinePage takes it. Adds nothing after this. */
  chunks(next: number | null): string[] {
    this.writePieces();
    const out = ['{"strings":', JSON.stringify(this.strings)];
    for (const column of COLUMNS) {
      out.push(`,${JSON.stringify(column)}:[`);
      this.pieces[column].forEach((piece, i) => out.push(i === 0 ? piece : `,${piece}`));
      out.push(']');
    }
    out.push(`,"next":${JSON.stringify(next)}}`);
    return out;
  }

  private ref(s: string | null): number {
    if (s === null) return -1;
    let k = this.index.get(s);
    if (k === undefined) {
      k = this.strings.length;
      this.index.set(s, k);
      this.strings.push(s);
    }
    return k;
  }

  /** The values held become a piece of text per column: JSON.stringify of the array, brackets left out. */
  private writePieces(): void {
    if (this.pending === 0) return;
    for (const column of COLUMNS) {
      const values = this.values[column];
      this.pieces[column].push(JSON.stringify(values).slice(1, -1));
      values.length = 0;
    }
    this.pending = 0;
  }
}
