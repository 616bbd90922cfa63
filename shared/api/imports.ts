/**
 * `POST /api/imports/shiviz`: a ShiViz/GoVector log, as text, appended to the live events — hosts become processes,
 * clocks vector clocks, each logged line an event.
 */
import { z } from 'zod';
import { accessToken } from './query.js';
import { jsonContent, route } from './route.js';

export const ImportQuerySchema = z.strictObject({
  regex: z
    .string()
    .min(1, 'must not be empty')
    .max(4096, 'at most 4096 characters')
    .optional()
    .meta({ description: 'The parser, with named groups `host`, `clock` and `event`; default GoVector’s `(?<host>\\S*) (?<clock>{.*})\\n(?<event>.*)`.' }),
  delimiter: z.string().max(4096, 'at most 4096 characters').optional().meta({ description: 'A regex that splits the log into executions.' }),
  name: z
    .string()
    .min(1, 'must not be empty')
    .max(200, 'at most 200 characters')
    .regex(/^[^\s/\\]+$/, 'a file name without spaces or slashes')
    .optional()
    .meta({ description: 'The file name, in each event’s source `shiviz://<name>`; default `log`.' }),
  form: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .meta({ description: '`true`: ShiViz’s upload form (line 1 the regex, line 2 the delimiter, then the log).' }),
  access_token: accessToken.optional(),
});

export const ImportAnswerSchema = z
  .strictObject({
    imported: z.number().int().nonnegative().meta({ description: 'Events stored now (those stored before are not again).' }),
    events: z.number().int().nonnegative().meta({ description: 'Events the log holds.' }),
    source: z.string().meta({ description: 'The source of every event: `shiviz://<name>`.' }),
    processes: z.array(z.string()),
    executions: z.array(z.string()).meta({ description: 'The labels of the executions the delimiter split the log into.' }),
  })
  .meta({ id: 'ImportAnswer' });
export type ImportAnswer = z.infer<typeof ImportAnswerSchema>;

export const importContract = {
  importShiViz: route({
    method: 'post',
    path: '/api/imports/shiviz',
    tag: 'imports',
    summary: 'Import a ShiViz/GoVector log into the timeline',
    role: 'editor',
    query: ImportQuerySchema,
    body: { description: 'The log.', required: true, content: { 'text/plain': z.string() } },
    answer: { status: 201, description: 'Imported.', content: jsonContent(ImportAnswerSchema) },
    errors: {
      400: 'the log or regex is refused (naming the line), or the parser ran past `imports.parseTimeoutMs` (`regex_timeout`, `parse_timeout`)',
      413: 'the body is larger than `bus.batchBodyLimitBytes`, or parsing it needs more memory than allowed (`parse_out_of_memory`)',
      503: 'too many imports at once (`imports_busy`, with Retry-After)',
    },
  }),
};
