/**
 * The timeline's payload search, kept current while the loaded range grows (live events at one end, older pages at
 * the other): what has been searched for a text stays searched and only the ranges beyond it are asked for, one at
 * a time. Live events arriving faster than a search takes extend the next request instead of starting it over.
 */

/** Positions searched so far, inclusive. */
export interface Covered {
  first: number;
  last: number;
}

/** The next range of [first, last] to search, beyond `covered`; null when all of it is covered. */
export function nextRange(covered: Covered | null, first: number, last: number): [number, number] | null {
  if (first > last) return null;
  // Apart from what is covered (the window moved far): search it all.
  if (covered === null || last < covered.first - 1 || first > covered.last + 1) return [first, last];
  if (first < covered.first) return [first, covered.first - 1];
  if (last > covered.last) return [covered.last + 1, last];
  return null;
}

/** The coverage once `range` has been searched. */
export function cover(covered: Covered | null, [first, last]: [number, number]): Covered {
  if (covered === null || last < covered.first - 1 || first > covered.last + 1) return { first, last };
  return { first: Math.min(first, covered.first), last: Math.max(last, covered.last) };
}

export type SearchRange = (text: string, first: number, last: number) => Promise<Set<number>>;

export class PayloadSearch {
  private text: string | null = null;
  private covered: Covered | null = null;
  private found = new Set<number>();
  private wanted: { first: number; last: number } | null = null;
  /** Bumped whenever the text changes: an answer for an older text is dropped. */
  private generation = 0;
  private running = false;

  constructor(
    private readonly search: SearchRange,
    /** The positions found so far for the current text; null while nothing is known yet (or no text). */
    private readonly onMatches: (found: ReadonlySet<number> | null) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Wants the matches of `text` over [first, last] (no text, or no events: no search). */
  want(text: string | null, first: number | undefined, last: number | undefined): void {
    if (text !== this.text) {
      this.text = text;
      this.covered = null;
      this.found = new Set();
      this.generation++;
      this.onMatches(null);
    }
    this.wanted = text && first !== undefined && last !== undefined ? { first, last } : null;
    void this.pump();
  }

  /** No more searching; answers still under way are dropped. */
  stop(): void {
    this.text = null;
    this.wanted = null;
    this.generation++;
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const { text, wanted, generation } = this;
        if (!text || !wanted) return;
        const range = nextRange(this.covered, wanted.first, wanted.last);
        if (!range) return;
        const found = await this.search(text, range[0], range[1]);
        if (generation !== this.generation) continue;
        for (const position of found) this.found.add(position);
        this.covered = cover(this.covered, range);
        this.onMatches(new Set(this.found));
      }
    } catch (error) {
      this.onError(error);
    } finally {
      this.running = false;
    }
  }
}
