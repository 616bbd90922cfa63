/**
 * What Docker Compose does with `${…}` in a compose file, for reading one as it would run: a `.env` file's
 * variables, and interpolation with them (`${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`,
 * `${NAME?error}`, `$$` for a dollar). A required variable without a value is an error, as it stops Compose.
 */

/** `NAME=value` lines; `#` starts a comment line; quotes around a value are dropped. */
export function parseDotenv(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new Error(`not NAME=value: ${line}`);
    const value = (m[2] as string).trim();
    variables[m[1] as string] = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
  }
  return variables;
}

/** The names a text requires (`${NAME:?…}` or `${NAME?…}`). */
export function requiredVariablesIn(text: string): Set<string> {
  return new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)].map((m) => m[1] as string));
}

export function interpolate(text: string, variables: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (whole, name?: string, colon?: string, op?: string, word?: string) => {
    if (whole === '$$') return '$';
    const value = variables[name as string];
    const missing = value === undefined || (colon === ':' && value === '');
    if (!missing) return value;
    if (op === '?') throw new Error(`${name as string}: ${word || 'required'}`);
    return op === '-' ? (word as string) : '';
  });
}
