import { simulatorSource } from '../../../shared/nodes/sources.js';
import type { NodeFactory } from '../node.js';
import { configOf } from './config.js';
import { every } from './every.js';

/** A small seeded PRNG (mulberry32): the same seed gives the same readings. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * N devices, each its own process: every interval each device reports a value near `base`, with noise and,
 * now and then, a spike (a warm fridge, a hot motor).
 */
export const simulator: NodeFactory = (ctx) => {
  const config = configOf(simulatorSource, ctx);
  const loop = every(config.intervalMs);
  const devices = Array.from({ length: config.devices }, (_, i) => ({
    id: `${config.prefix}-${i + 1}`,
    random: seededRandom(config.seed * 7919 + i),
  }));
  const reading = (random: () => number) => {
    const { base, noise, spikeChance, spikeSize } = config.model;
    const spike = random() < spikeChance ? spikeSize : 0;
    return Math.round((base + (random() * 2 - 1) * noise + spike) * 100) / 100;
  };
  return {
    start: (io) =>
      loop.run(io, async () => {
        await io.produce(
          devices.map((d) => ({
            type: config.type,
            process: d.id,
            stream: d.id,
            source: `simulator://${ctx.node.id}/${d.id}`,
            data: { device: d.id, [config.field]: reading(d.random) },
          })),
        );
      }),
    stop: () => loop.stop(),
  };
};
