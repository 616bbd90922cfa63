/** Fresh node and edge ids (`n1`, `e4` …): the smallest number above every id of that prefix in use. */
export function nextId(prefix: string, used: Iterable<string>): string {
  let max = 0;
  const pattern = new RegExp(`^${prefix}(\\d+)$`);
  for (const id of used) {
    const m = pattern.exec(id);
    if (m?.[1]) max = Math.max(max, Number(m[1]));
  }
  return `${prefix}${max + 1}`;
}

/** `count` fresh ids in a row. */
export function nextIds(prefix: string, used: Iterable<string>, count: number): string[] {
  const all = new Set(used);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = nextId(prefix, all);
    all.add(id);
    out.push(id);
  }
  return out;
}
