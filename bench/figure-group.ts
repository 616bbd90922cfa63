/**
 * What a bench module gives `bench/run.ts`: the figures it measures, by name, and how to measure them. Its own
 * module, so the figures and the runner that gathers them do not import each other.
 */
import type { Figure } from './report.js';

export interface FigureGroup {
  /** The figures this group measures (names), to decide whether `--only` selects it. */
  names: string[];
  /** Figures of other groups this group's figures are compared with: `--only` runs those groups too. */
  baselines?: string[];
  run(): Promise<Figure[]>;
}
