/** Whether a JavaScript handler body parses: the sandbox's own parser, so the compiler and the runtime agree. */
import { checkScript as sandboxCheck } from '../sandbox/check-script.js';
import type { ScriptSyntaxError } from '../sandbox/types.js';

export type { ScriptSyntaxError };
export type ScriptChecker = (source: string, params: string[]) => Promise<ScriptSyntaxError | null>;

export const checkScript: ScriptChecker = sandboxCheck;
