/**
 * Completion in code fields: event fields after a path (`data.` in JSONata, `event.data.` in JavaScript) from the
 * fields every event has and the keys of recent events, and JSONata's functions after `$`. Nothing is offered
 * inside a string or a comment.
 */
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { syntaxTree } from '@codemirror/language';
import { EVENT_FIELDS, fieldsAt, pathBefore, type FieldTree } from './event-fields.js';
import { JSONATA_FUNCTIONS } from './jsonata-functions.js';

const EVENT_FIELD_NAMES: ReadonlySet<string> = new Set(EVENT_FIELDS);

export function codeCompletion(language: 'jsonata' | 'javascript', fields: () => FieldTree) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const node = syntaxTree(ctx.state).resolveInner(ctx.pos, -1);
    if (/string|comment/i.test(node.type.name)) return null;
    const before = ctx.state.sliceDoc(Math.max(0, ctx.pos - 300), ctx.pos);
    if (language === 'jsonata') {
      const dollar = /\$\w*$/.exec(before);
      if (dollar) {
        const options = JSONATA_FUNCTIONS.map((f) => ({ label: f.name, detail: f.signature.slice(f.name.length), type: 'function' }));
        return { from: ctx.pos - dollar[0].length, options, validFor: /^\$\w*$/ };
      }
    }
    const target = pathBefore(before, language === 'javascript' ? 'event' : null);
    if (!target) return null;
    // At the top of a JSONata expression, wait for a letter (or Ctrl+Space) rather than open on every space.
    if (target.path.length === 0 && target.word === '' && language === 'jsonata' && !ctx.explicit) return null;
    const names = fieldsAt(fields(), target.path);
    if (names.length === 0) return null;
    const top = target.path.length === 0;
    const options = names.map((name) => ({
      label: name,
      type: 'property',
      detail: top && EVENT_FIELD_NAMES.has(name) ? 'event field' : 'seen in recent events',
    }));
    return { from: ctx.pos - target.word.length, options, validFor: /^\w*$/ };
  };
}
