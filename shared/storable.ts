/**
 * What every adapter can store, so that none accepts what another refuses and no event is changed on the way in:
 * - text is Unicode without U+0000: PostgreSQL refuses a NUL character in text (and in jsonb), and an unpaired
 *   surrogate has no UTF-8 form — SQLite and PostgreSQL would store U+FFFD in its place, a different id or name;
 * - a name the adapters index (id, stream, process, correlation id, the processes of a clock) is at most
 *   NAME_LIMIT characters: a PostgreSQL index entry holds at most 2,704 bytes, and a character may take three;
 * - JSON nests at most DEPTH_LIMIT levels: PostgreSQL refuses json deeper than its stack allows (about 10,000 levels
 *   with the default `max_stack_depth`), and `JSON.stringify` throws a little deeper.
 * Each check answers the problem in words (`contains a NUL character (U+0000)`), with the path to it for JSON. The
 * store applies them to every event before it appends (server/store/validate.ts); the clock and flow schemas and the
 * MQTT source use them to keep what they pass on storable.
 */

export const NAME_LIMIT = 256;
export const DEPTH_LIMIT = 1000;
/**
 * The most text one JSON value (an event's data, its metadata) may hold, counted as its strings' and keys' lengths
 * plus a unit per other value: a little under its size as JSON. A published event is bounded by the body limit
 * long before; this bounds what a node derives (an object built with the same large value many times over).
 */
export const SIZE_LIMIT = 8 * 1024 * 1024;

export interface Unstorable {
  /** Where, from the path given: `data.name`, `data.list.2`, `metadata["a b"]`. */
  path: string;
  problem: string;
}

// Node ≥ 20 has it (ES2024); the TypeScript lib this project targets does not list it yet.
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** The problem with this text, or null when every adapter stores it as it is. */
export function textProblem(text: string): string | null {
  if (text.indexOf('\0') !== -1) return 'contains a NUL character (U+0000)';
  if (isWellFormed(text)) return null;
  const at = loneSurrogateAt(text);
  const unit = text.charCodeAt(at).toString(16).toUpperCase();
  return `contains an unpaired surrogate (U+${unit} at index ${at}): not Unicode text`;
}

/**
 * An event's source is indexed with its id (the pair is the event's identity): at most SOURCE_BYTES bytes of UTF-8,
 * which with the longest id (NAME_LIMIT characters of up to three bytes each) stays within an index entry.
 */
export const SOURCE_BYTES = 1024;

/** The problem with an event's source, or null. */
export function sourceProblem(source: string): string | null {
  const problem = textProblem(source);
  if (problem) return problem;
  const bytes = utf8Length(source);
  return bytes > SOURCE_BYTES ? `is ${bytes} bytes as UTF-8, longer than ${SOURCE_BYTES}` : null;
}

/** The length of well-formed text in UTF-8 (a surrogate pair is one four-byte character). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes += unit < 0x80 ? 1 : unit < 0x800 ? 2 : unit >= 0xd800 && unit <= 0xdbff ? (i++, 4) : 3;
  }
  return bytes;
}

/** The problem with a name the adapters index, or null. */
export function nameProblem(name: string): string | null {
  if (name.length > NAME_LIMIT) return `is longer than ${NAME_LIMIT} characters`;
  return textProblem(name);
}

function loneSurrogateAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
    else return i;
  }
  return -1;
}

/** A key as a path step: `.name` when plain, else `["…"]` in JSON (which escapes NUL and lone surrogates). */
export function pathStep(key: string): string {
  if (/^[\w$-]{1,64}$/.test(key)) return `.${key}`;
  return `[${JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key)}]`;
}

/**
 * The first thing in a JSON value (as `JSON.stringify` sees it) that the adapters cannot store, or null. Strings and
 * keys are checked as text; a key's problem is reported at the key's path.
 */
export function unstorableIn(value: unknown, path: string): Unstorable | null {
  budget = SIZE_LIMIT;
  const found = walk(value, 0);
  if (found === null) return null;
  if (found === TOO_LARGE) return { path, problem: `holds more than ${SIZE_LIMIT / (1024 * 1024)} MiB of JSON` };
  // The path is built only for a problem: the walk itself makes no text per key.
  let at = path;
  for (let i = found.steps.length - 1; i >= 0; i--) {
    const step = found.steps[i]!;
    at += typeof step === 'number' ? `.${step}` : pathStep(step);
  }
  return { path: at, problem: found.problem };
}

/** A problem, with the keys and indexes leading to it, innermost first. */
interface Found {
  steps: (string | number)[];
  problem: string;
}

/** What is left of SIZE_LIMIT in the walk under way (one walk at a time: it never awaits). */
let budget = SIZE_LIMIT;
const TOO_LARGE: Found = { steps: [], problem: 'too large' };

function walk(value: unknown, depth: number): Found | null {
  if (typeof value === 'string') {
    if ((budget -= value.length) < 0) return TOO_LARGE;
    const problem = textProblem(value);
    return problem === null ? null : { steps: [], problem };
  }
  if (--budget < 0) return TOO_LARGE;
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= DEPTH_LIMIT) return { steps: [], problem: `nests deeper than ${DEPTH_LIMIT} levels` };
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return walk((value as { toJSON(key: string): unknown }).toJSON(''), depth);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], depth + 1);
      if (found) {
        found.steps.push(i);
        return found;
      }
    }
    return null;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if ((budget -= key.length) < 0) return TOO_LARGE;
    const keyProblem = textProblem(key);
    const found: Found | null = keyProblem !== null ? { steps: [], problem: `its name ${keyProblem}` } : walk((value as Record<string, unknown>)[key], depth + 1);
    if (found) {
      if (found !== TOO_LARGE) found.steps.push(key);
      return found;
    }
  }
  return null;
}
