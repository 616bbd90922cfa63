/**
 * A Dockerfile read as Docker reads it, enough to check one: lines joined at a trailing backslash, comments and
 * blank lines dropped (also inside a continued instruction), each instruction split into its keyword and arguments,
 * and the instructions grouped by stage, a stage beginning at each FROM. The forms Docker gives arguments (exec form
 * `["a", "b"]`, `KEY=value` pairs, `--flag=value` options) each have a reader here.
 */

export interface Instruction {
  /** Upper-case: FROM, RUN, ENV, … */
  keyword: string;
  /** What follows the keyword, continuation lines joined with a space. */
  args: string;
  /** The line the instruction starts on (1-based). */
  line: number;
}

export interface Stage {
  /** The image the stage starts from. */
  base: string;
  /** `FROM … AS name`, if named. */
  name: string | null;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** Instructions before the first FROM (ARG only, in a valid file). */
  preamble: Instruction[];
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let pending: { parts: string[]; line: number } | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const continued = /\\\s*$/.test(raw);
    const part = continued ? raw.replace(/\\\s*$/, '').trim() : trimmed;
    pending ??= { parts: [], line: index + 1 };
    pending.parts.push(part);
    if (continued) return;
    instructions.push(instructionOf(pending.parts.join(' '), pending.line));
    pending = null;
  });
  if (pending !== null) {
    const last: { parts: string[]; line: number } = pending;
    instructions.push(instructionOf(last.parts.join(' '), last.line));
  }

  const preamble: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const as = words.findIndex((w) => w.toUpperCase() === 'AS');
      stages.push({ base: words[0] ?? '', name: as >= 0 ? (words[as + 1] ?? null) : null, instructions: [instruction] });
    } else if (stages.length === 0) {
      preamble.push(instruction);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { preamble, stages };
}

function instructionOf(text: string, line: number): Instruction {
  const match = /^(\S+)\s*(.*)$/s.exec(text);
  return { keyword: (match?.[1] ?? '').toUpperCase(), args: (match?.[2] ?? '').trim(), line };
}

/** The instructions of a stage with this keyword. */
export const instructionsOf = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((i) => i.keyword === keyword);

/** `["npm", "start"]` as its words; null for the shell form. */
export function execFormOf(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((w): w is string => typeof w === 'string')) throw new Error(`not an exec form: ${args}`);
  return parsed;
}

/** Leading `--name=value` options, and the rest. */
export function optionsOf(args: string): { options: Record<string, string>; rest: string } {
  const options: Record<string, string> = {};
  let rest = args;
  for (let m = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest); m !== null; m = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest)) {
    options[m[1] as string] = m[2] ?? '';
    rest = rest.slice(m[0].length);
  }
  return { options, rest };
}

/** The variables of an ENV (or ARG) instruction: `A=1 B="two words"`, or the older `A value`. */
export function variablesOf(args: string): Record<string, string> {
  if (!/^[^\s=]+=/.test(args)) {
    const [name, ...value] = args.split(/\s+/);
    return name ? { [name]: value.join(' ') } : {};
  }
  const variables: Record<string, string> = {};
  const pair = /([^\s=]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)\s*/gy;
  for (let m = pair.exec(args); m !== null && m[0] !== ''; m = pair.exec(args)) {
    const value = m[2] as string;
    variables[m[1] as string] = /^["']/.test(value) ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
  }
  return variables;
}
