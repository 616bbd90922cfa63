/**
 * The routes about the server itself: health (open to anyone), who the caller is, Prometheus metrics, and this
 * API's own description — the OpenAPI document and the page that renders it, open to anyone as health is: they
 * describe the routes and hold no data.
 */
import { z } from 'zod';
import { HealthSchema, WhoAmISchema } from '../session.js';
import { noQuerySchema } from './query.js';
import { jsonContent, route } from './route.js';

/** The files of the API's documentation page: Swagger UI's, and the script that starts it. */
export const DOCS_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js', 'docs.js'] as const;
export type DocsFile = (typeof DOCS_FILES)[number];

export const healthContract = {
  health: route({
    method: 'get',
    path: '/api/health',
    tag: 'server',
    summary: 'Whether the server runs, which store it uses, and whether it asks for tokens',
    role: null,
    answer: { status: 200, description: 'It runs.', content: jsonContent(HealthSchema) },
  }),
  whoami: route({
    method: 'get',
    path: '/api/whoami',
    tag: 'server',
    summary: 'The name and role of the token used',
    role: 'viewer',
    query: noQuerySchema,
    answer: { status: 200, description: 'Who is calling.', content: jsonContent(WhoAmISchema) },
  }),
  metrics: route({
    method: 'get',
    path: '/metrics',
    tag: 'server',
    summary: 'Prometheus metrics: events published and processed, processing time, store operations, per node counters',
    role: 'viewer',
    answer: { status: 200, description: 'The Prometheus text format.', content: { 'text/plain': z.string() } },
  }),
  openApi: route({
    method: 'get',
    path: '/api/openapi.json',
    tag: 'server',
    summary: 'This description of the API, as OpenAPI 3.1',
    role: null,
    answer: { status: 200, description: 'The OpenAPI document.', content: jsonContent(z.record(z.string(), z.unknown())) },
  }),
  docs: route({
    method: 'get',
    path: '/api/docs',
    tag: 'server',
    summary: 'This description of the API as a page to read and try (Swagger UI)',
    role: null,
    answer: { status: 200, description: 'The page.', content: { 'text/html': z.string() } },
  }),
  docsFile: route({
    method: 'get',
    path: '/api/docs/{file}',
    tag: 'server',
    summary: 'A script or style sheet of the documentation page',
    role: null,
    params: z.strictObject({ file: z.enum(DOCS_FILES) }),
    answer: { status: 200, description: 'The file.', content: { 'text/javascript': z.string(), 'text/css': z.string() } },
  }),
};
