/**
 * `npm run bench` — measures every figure, prints a table and writes bench/results.json.
 * `npm run bench -- --only <prefix>` runs the figures whose names start with the prefix (and their baselines).
 * `npm run bench -- --peers` adds the comparisons with other tools (bench/README.md), installing them first.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canvasFigures } from './figures/canvas.js';
import { clockFigures } from './figures/clock.js';
import { clusterFigures } from './figures/cluster.js';
import { engineFigures } from './figures/engine.js';
import { httpFigures } from './figures/http.js';
import { memoryFigures } from './figures/memory.js';
import { peerFigures } from './figures/peers-groups.js';
import { postgresAppendFigures } from './figures/postgres-append.js';
import { replayActorFigures } from './figures/replay-actor.js';
import { timelineFigures } from './figures/timeline.js';
import { timeline1mFigures } from './figures/timeline-1m.js';
import type { FigureGroup } from './figure-group.js';
import { machine, resolveBaselines, table, type Figure } from './report.js';

const groups: FigureGroup[] = [
  engineFigures,
  clockFigures,
  httpFigures,
  canvasFigures,
  timelineFigures,
  timeline1mFigures,
  replayActorFigures,
  memoryFigures,
  postgresAppendFigures,
  clusterFigures,
  // The peers need the network once, to install them: only on demand.
  ...(process.argv.includes('--peers') ? peerFigures : []),
];

async function main() {
  const i = process.argv.indexOf('--only');
  const prefix = i >= 0 ? process.argv[i + 1] : undefined;
  if (i >= 0 && !prefix) throw new Error('--only needs a figure name prefix');
  const chosen = groups.filter((g) => !prefix || g.names.some((n) => n.startsWith(prefix)));
  const baselines = new Set(chosen.flatMap((g) => g.baselines ?? []));
  const selected = groups.filter((g) => chosen.includes(g) || g.names.some((n) => baselines.has(n)));
  if (selected.length === 0) throw new Error(`no figure starts with "${prefix}"; figures: ${groups.flatMap((g) => g.names).join(', ')}`);

  const figures: Figure[] = [];
  for (const group of selected) {
    const measured = await group.run();
    figures.push(...measured);
    for (const f of measured) console.error(`measured ${f.name}: ${f.value} ${f.unit}`);
  }
  const wanted = figures.filter((f) => !prefix || f.name.startsWith(prefix));
  const needed = new Set(wanted.flatMap((f) => [f.name, ...(f.baseline ? [f.baseline] : [])]));
  const reported = resolveBaselines(figures).filter((f) => needed.has(f.name));
  const result = { machine: machine(), figures: reported };
  console.log(`machine: ${result.machine}\n`);
  console.log(table(reported));
  writeFileSync(join(import.meta.dirname, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
