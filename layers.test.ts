/**
 * The code keeps the direction of the house: the rules of `.dependency-cruiser.mjs` over every import of `server/`,
 * `shared/`, `web/`, `bench/`, `e2e/` and `deploy/` (type-only imports included), plus what those rules cannot say:
 * every file of `server/` sits in a layer, every relative import resolves (an import the cruise cannot follow would
 * hide its arrow), and a module imported only by tests is a test helper and lives in a `testing/` folder. A failure
 * lists each offending import as `from → to [rule]`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cruise, type ICruiseResult, type IModule, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = import.meta.dirname;
const CONFIG = `${ROOT}/.dependency-cruiser.mjs`;
const FOLDERS = ['server', 'shared', 'web', 'bench', 'e2e', 'deploy'];
/** A runtime module past this has more than one lifetime in it: split it (STYLE.md). */
const MAX_RUNTIME_LINES = 300;

interface Exception {
  why: string;
  rule: string;
  from: string;
  to: string;
}

interface Layers {
  LAYERS: Record<string, { path: string; may: string[] }>;
  TEMPORARY_EXCEPTIONS: Exception[];
}

const TEST = /\.test\.tsx?$/;
const TEST_HELPER = /(^|\/)testing\/|^e2e\//;
const isTestCode = (path: string) => TEST.test(path) || TEST_HELPER.test(path);
const isOurs = (path: string) => FOLDERS.some((folder) => path.startsWith(`${folder}/`));

let result: ICruiseResult;
let layers: Layers;

beforeAll(async () => {
  layers = (await import(pathToFileURL(CONFIG).href)) as Layers;
  const options = await extractDepcruiseOptions(CONFIG);
  const cwd = process.cwd();
  // Paths in the rules are relative to the repository's root.
  process.chdir(ROOT);
  try {
    result = (await cruise(FOLDERS, { ...options, validate: true })).output as ICruiseResult;
  } finally {
    process.chdir(cwd);
  }
}, 60_000);

const line = (from: string, to: string, rule: string) => `${from} → ${to} [${rule}]`;

function report(lines: string[], comments: Map<string, string> = new Map()): string {
  if (lines.length === 0) return '';
  const why = [...comments].map(([rule, comment]) => `  ${rule}: ${comment}`);
  return `\n${lines.join('\n')}${why.length > 0 ? `\n\nwhy:\n${why.join('\n')}` : ''}\n`;
}

const matches = (exception: Exception, v: IViolation) =>
  exception.rule === v.rule.name && new RegExp(exception.from).test(v.from) && new RegExp(exception.to).test(v.to);

/** Every module that imports each module. */
function dependentsOf(modules: IModule[]): Map<string, string[]> {
  const dependents = new Map<string, string[]>();
  for (const m of modules) {
    for (const d of m.dependencies) {
      if (!isOurs(d.resolved)) continue;
      const list = dependents.get(d.resolved) ?? [];
      list.push(m.source);
      dependents.set(d.resolved, list);
    }
  }
  return dependents;
}

describe('the layers of the code', () => {
  it('has no import against the rules: no cycle, shared pure, web apart from server, layers downward, the store through its front door', () => {
    const violations = result.summary.violations;
    const tolerated = new Set<Exception>();
    const offending: string[] = [];
    const comments = new Map<string, string>();
    const ruleComments = new Map(
      (result.summary.ruleSetUsed?.forbidden ?? []).map((rule) => [rule.name ?? '', rule.comment ?? ''] as const),
    );
    for (const v of violations) {
      const exception = layers.TEMPORARY_EXCEPTIONS.find((e) => matches(e, v));
      if (exception) {
        tolerated.add(exception);
        continue;
      }
      const cycle = v.cycle && v.cycle.length > 0 ? ` (cycle: ${[v.from, ...v.cycle.map((c) => c.name)].join(' → ')})` : '';
      offending.push(line(v.from, v.to, v.rule.name) + cycle);
      comments.set(v.rule.name, ruleComments.get(v.rule.name) ?? '');
    }
    expect.soft(report(offending, comments)).toBe('');
    const unused = layers.TEMPORARY_EXCEPTIONS.filter((e) => !tolerated.has(e)).map((e) => `${e.rule}: ${e.from} → ${e.to} (${e.why})`);
    expect.soft(report(unused), 'temporary exceptions that no longer match anything: delete them').toBe('');
  });

  it('places every file of server/ but its tests in a layer', () => {
    const paths = Object.values(layers.LAYERS).map((layer) => new RegExp(layer.path));
    const unplaced = result.modules
      .map((m) => m.source)
      .filter((source) => source.startsWith('server/') && !TEST.test(source) && !paths.some((p) => p.test(source)));
    expect(report(unplaced), 'add each to LAYERS in .dependency-cruiser.mjs').toBe('');
  });

  it('resolves every relative import, so no arrow is missed', () => {
    const unresolved = result.modules.flatMap((m) =>
      m.dependencies.filter((d) => d.couldNotResolve && d.module.startsWith('.')).map((d) => line(m.source, d.module, 'unresolved')),
    );
    expect(report(unresolved)).toBe('');
  });

  it('keeps test helpers in testing/ folders: no module outside one is imported by tests alone', () => {
    const suspects: string[] = [];
    for (const [module, importers] of dependentsOf(result.modules)) {
      if (isTestCode(module) || importers.length === 0 || !importers.every(isTestCode)) continue;
      for (const importer of importers) suspects.push(line(importer, module, 'test-helper-outside-testing'));
    }
    expect(report(suspects)).toBe('');
  });

  it('keeps every file of server/runtime/ and server/sandbox/ within 300 lines, so each holds one thing', () => {
    const long = result.modules
      .filter((m) => /^server\/(runtime|sandbox)\//.test(m.source))
      .map((m) => ({ source: m.source, lines: readFileSync(join(ROOT, m.source), 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > MAX_RUNTIME_LINES)
      .map((f) => `${f.source}: ${f.lines} lines`);
    expect(long.join('\n')).toBe('');
  });
});
