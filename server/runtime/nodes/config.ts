import type { z } from 'zod';
import type { NodeTypeDefinition } from '../../../shared/nodes/define.js';
import type { NodeFactoryContext } from '../node.js';

/** The node's config, already parsed with defaults by the compiler, typed by its definition. */
export const configOf = <S extends z.ZodType>(_def: NodeTypeDefinition<S>, ctx: NodeFactoryContext): z.output<S> =>
  ctx.node.config as z.output<S>;
