/**
 * Imports: `POST /api/imports/shiviz` takes a ShiViz/GoVector log as text — hosts become processes, clocks vector
 * clocks, each logged event an event — and stores each of its executions apart, never among the live events nor
 * beside another import; the imports are listed, renamed and deleted by the routes below.
 */
import { z } from 'zod';
import { accessToken, noQuerySchema } from './query.js';

export { EXECUTION_ID, executionParam } from './query.js';
export const IMPORT_ID = /^imp-[0-9a-f]{12}$/;
import { JSON_TYPE, jsonContent, route } from './route.js';

export const ExecutionSchema = z
  .strictObject({
    id: z.string().meta({ description: 'Pass it as `execution` to the event and timeline routes.' }),
    label: z.string().meta({ description: 'The `trace` group of its delimiter; empty for a log of one execution.' }),
    events: z.number().int().nonnegative(),
    hosts: z.array(z.string()).meta({ description: 'Its processes, in order of first appearance.' }),
  })
  .meta({ id: 'Execution' });
export type Execution = z.infer<typeof ExecutionSchema>;

export const ImportSummarySchema = z
  .strictObject({
    id: z.string(),
    name: z.string().meta({ description: 'What the timeline calls it: the file name, until renamed.' }),
    source: z.string().meta({ description: 'The source of every event it stored, `shiviz://<file name>`: renaming does not change it.' }),
    importedAt: z.string().meta({ description: 'RFC 3339.' }),
    events: z.number().int().nonnegative(),
    executions: z.array(ExecutionSchema).meta({ description: 'In log order; each keeps its own lanes, clocks and causality.' }),
    legacy: z
      .literal(true)
      .optional()
      .meta({ description: 'Imported before imports had executions of their own: copied out of the live events at start (`importedAt` is when it was first imported).' }),
  })
  .meta({ id: 'ImportSummary' });
export type ImportSummary = z.infer<typeof ImportSummarySchema>;

export const UnmatchedLineSchema = z.strictObject({ line: z.number().int().positive(), text: z.string() }).meta({ id: 'UnmatchedLine' });

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
  strict: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .meta({ description: '`true`: refuse a log with lines the regex does not cover (400 `unmatched_lines` naming them) instead of importing the rest.' }),
  access_token: accessToken.optional(),
});

export const ImportAnswerSchema = z
  .strictObject({
    imported: z.number().int().nonnegative().meta({ description: 'Events stored now (those stored before are not again).' }),
    events: z.number().int().nonnegative().meta({ description: 'Events the log holds.' }),
    source: z.string().meta({ description: 'The source of every event: `shiviz://<name>`.' }),
    processes: z.array(z.string()),
    executions: z.array(z.string()).meta({ description: 'The labels of the executions the delimiter split the log into.' }),
    import: ImportSummarySchema,
    unmatched: z.array(UnmatchedLineSchema).meta({ description: 'The first 100 lines the regex does not cover (blank lines aside), with their numbers.' }),
    unmatchedCount: z.number().int().nonnegative().meta({ description: 'How many lines the regex does not cover in all.' }),
  })
  .meta({ id: 'ImportAnswer' });
export type ImportAnswer = z.infer<typeof ImportAnswerSchema>;

export const ImportListSchema = z.strictObject({ imports: z.array(ImportSummarySchema).meta({ description: 'Newest first.' }) });
export const RenameImportSchema = z.strictObject({ name: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters') });

const ImportParams = z.strictObject({ id: z.string().regex(IMPORT_ID, 'an import id such as imp-1a2b3c4d5e6f') });
const NO_IMPORT = 'no import has this id';

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
      400: 'the log or regex is refused (naming the line), with `strict=true` a line the regex does not cover (`unmatched_lines`, each in `details`), or the parser ran past `imports.parseTimeoutMs` (`regex_timeout`, `parse_timeout`)',
      413: 'the body is larger than `bus.batchBodyLimitBytes`, or parsing it needs more memory than allowed (`parse_out_of_memory`)',
      503: 'too many imports at once (`imports_busy`, with Retry-After)',
    },
  }),
  listImports: route({
    method: 'get',
    path: '/api/imports',
    tag: 'imports',
    summary: 'The imported logs, newest first, each with its executions and their counts',
    role: 'viewer',
    query: noQuerySchema,
    answer: { status: 200, description: 'The imports.', content: jsonContent(ImportListSchema) },
  }),
  getImport: route({
    method: 'get',
    path: '/api/imports/{id}',
    tag: 'imports',
    summary: 'One imported log',
    role: 'viewer',
    params: ImportParams,
    query: noQuerySchema,
    answer: { status: 200, description: 'The import.', content: jsonContent(ImportSummarySchema) },
    errors: { 400: 'the id is not valid', 404: NO_IMPORT },
  }),
  renameImport: route({
    method: 'put',
    path: '/api/imports/{id}/name',
    tag: 'imports',
    summary: 'Rename an imported log (its events keep their source)',
    role: 'editor',
    params: ImportParams,
    query: noQuerySchema,
    body: { description: 'The new name.', required: true, content: { [JSON_TYPE]: RenameImportSchema } },
    answer: { status: 200, description: 'Renamed.', content: jsonContent(ImportSummarySchema) },
    errors: { 400: 'the id or name is not valid', 404: NO_IMPORT },
  }),
  deleteImport: route({
    method: 'delete',
    path: '/api/imports/{id}',
    tag: 'imports',
    summary: 'Delete an imported log and every event it stored',
    role: 'editor',
    params: ImportParams,
    query: noQuerySchema,
    answer: { status: 204, description: 'Deleted.' },
    errors: { 400: 'the id is not valid', 404: NO_IMPORT },
  }),
};
