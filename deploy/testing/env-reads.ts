/**
 * The environment variables a source file reads, found in its text: `env.NAME`, `process.env.NAME`, `env?.NAME`
 * and `env['NAME']`, names in upper case as variables are written. A read the pattern misses (a name built at run
 * time) is not found, so a check built on this can only be too strict, never too lenient.
 */
const READ = /(?<![\w$])(?:process\.)?env\??\.([A-Z_][A-Z0-9_]*)|(?<![\w$])(?:process\.)?env\[\s*(['"])([A-Z_][A-Z0-9_]*)\2\s*\]/g;

export function envReadsIn(source: string): Set<string> {
  const names = new Set<string>();
  for (const m of source.matchAll(READ)) names.add((m[1] ?? m[3]) as string);
  return names;
}
