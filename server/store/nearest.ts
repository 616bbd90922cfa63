/**
 * Which `limit` events of a causal cone are nearest by position (the newest of a past, the oldest of a future),
 * read a little at a time instead of `limit` index entries from every range of the cone.
 *
 * The events of one lane of a range are in position order when read in (own, seq) order (see causality.ts). So
 * such a read `take` entries deep holds each of its events nearer than the farthest entry read; and `limit`
 * entries deep, all it can give. Each read is first a share of `limit` deep; it is read deeper only when its
 * farthest entry read is nearer than the `limit`-th nearest of everything read so far, the one case where an
 * unread entry could still belong to the answer.
 */

/** `DESC`: nearest is newest (a past); `ASC`: nearest is oldest (a future). */
export type Nearness = 'ASC' | 'DESC';

/** The positions of the events of one lane of a range read in (own, seq) order from its near end, `take` at most. */
export interface RangeRead {
  positions: number[];
  take: number;
}

export type Choice = { done: true; positions: number[] } | { done: false; deeper: Map<number, number> };

const GROWTH = 4;
const SMALLEST_TAKE = 8;

/** How deep to do each of `reads` reads at first: twice its share of `limit`. */
export const firstTake = (reads: number, limit: number): number =>
  Math.min(limit, Math.max(SMALLEST_TAKE, Math.ceil((2 * limit) / Math.max(1, reads))));

/**
 * The nearest `limit` positions, nearest first, when what was read is enough; otherwise the reads (by index) to
 * do again and how deep.
 */
export function chooseNearest(reads: RangeRead[], order: Nearness, limit: number): Choice {
  const nearer = order === 'DESC' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  const all: number[] = [];
  for (const read of reads) all.push(...read.positions);
  all.sort(order === 'DESC' ? (a, b) => b - a : (a, b) => a - b);
  const chosen = all.slice(0, limit);
  const cut = chosen.length === limit ? chosen[limit - 1]! : null;
  const deeper = new Map<number, number>();
  reads.forEach((read, i) => {
    if (read.positions.length < read.take || read.take >= limit) return; // read to its end, or as deep as needed
    const farthest = read.positions.reduce((a, b) => (nearer(a, b) ? b : a));
    if (cut === null || nearer(farthest, cut)) deeper.set(i, Math.min(limit, read.take * GROWTH));
  });
  return deeper.size === 0 ? { done: true, positions: chosen } : { done: false, deeper };
}
