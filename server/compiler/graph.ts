/**
 * Directed-graph algorithms on node ids: strongly connected components, reachability, a cycle's path.
 * Iterative, so a long chain of nodes does not exhaust the stack.
 */

export type Successors = (id: string) => readonly string[];

/** Tarjan's algorithm. Components come out in reverse topological order; ids inside keep discovery order. */
export function stronglyConnectedComponents(ids: readonly string[], next: Successors): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of ids) {
    if (index.has(root)) continue;
    const frames: { id: string; successors: readonly string[]; at: number }[] = [];
    const enter = (id: string) => {
      index.set(id, counter);
      low.set(id, counter);
      counter++;
      stack.push(id);
      onStack.add(id);
      frames.push({ id, successors: next(id), at: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.at < frame.successors.length) {
        const w = frame.successors[frame.at++]!;
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== frame.id);
      components.push(component.reverse());
    }
  }
  return components;
}

/** Whether a component holds a cycle: more than one node, or one node wired to itself. */
export const isCyclic = (component: readonly string[], next: Successors): boolean =>
  component.length > 1 || (component.length === 1 && next(component[0]!).includes(component[0]!));

/** Every id reachable from the starts (the starts included). */
export function reachableFrom(starts: Iterable<string>, next: Successors): Set<string> {
  const seen = new Set<string>(starts);
  const queue = [...seen];
  for (let i = 0; i < queue.length; i++) {
    for (const w of next(queue[i]!)) {
      if (seen.has(w)) continue;
      seen.add(w);
      queue.push(w);
    }
  }
  return seen;
}

/**
 * A shortest cycle through `start` inside `within` (breadth first), as the ids visited, `start` first and last:
 * `[a, b, c, a]`. Null when there is none.
 */
export function cycleThrough(start: string, within: ReadonlySet<string>, next: Successors): string[] | null {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const w of next(id)) {
      if (!within.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let at: string | undefined = id; at !== undefined && at !== start; at = parent.get(at)) path.push(at);
        path.push(start);
        return path.reverse();
      }
      if (parent.has(w)) continue;
      parent.set(w, id);
      queue.push(w);
    }
  }
  return null;
}
