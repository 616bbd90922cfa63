/** Vector clock compares per second for 10-process clocks: the median of ROUNDS runs of COMPARES each. */
import { compare, tick, type VectorClock } from '../../shared/clock.js';
import { seededRandom } from '../../server/runtime/nodes/simulator.js';
import { median, spreadOf } from '../stats.js';
import type { FigureGroup } from '../figure-group.js';

const COMPARES = 2_000_000;
const ROUNDS = 5;

export const clockFigures: FigureGroup = {
  names: ['vector_clock_compares_per_s'],
  async run() {
    const random = seededRandom(42);
    const processes = Array.from({ length: 10 }, (_, i) => `p${i}`);
    const clocks: VectorClock[] = Array.from({ length: 1024 }, () => {
      let c: VectorClock = {};
      for (const p of processes) for (let n = Math.floor(random() * 50); n > 0; n--) c = tick(c, p);
      return c;
    });
    let sink = 0;
    const rates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < COMPARES; i++) {
        if (compare(clocks[i & 1023]!, clocks[(i * 7 + 3) & 1023]!) === 'before') sink++;
      }
      rates.push(COMPARES / (Number(process.hrtime.bigint() - started) / 1e9));
    }
    // Used, so the compares cannot be optimised away.
    if (sink < 0) console.log(sink);
    return [{ name: 'vector_clock_compares_per_s', value: median(rates), unit: 'ops/s', spread: spreadOf(rates, 'rounds') }];
  },
};
