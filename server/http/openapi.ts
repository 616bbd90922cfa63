/**
 * The OpenAPI 3.1 document of the API, generated from the route table of shared/api: each route registered once,
 * with its parameters, body, answer, the errors it gives (all in the one error envelope), and who may call it. The
 * bearer tokens are the security scheme; a route's least role is its requirement's scope (OpenAPI 3.1 lets a
 * non-OAuth scheme list roles there). An event stream's messages are listed under `x-sse-messages`, as 3.1 has no
 * way to give the schema of each item of a `text/event-stream` body.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorAnswerSchema } from '../../shared/api/errors.js';
import type { ApiContract } from '../../shared/api/index.js';
import type { ErrorStatus, RouteSpec } from '../../shared/api/route.js';

const BEARER = 'bearerToken';
const QUERY_TOKEN = 'accessToken';

const TAGS = [
  { name: 'server', description: 'Health, who is calling, metrics, and this description.' },
  { name: 'flows', description: 'Flows and their revisions; validate, deploy, stop, status, and the editor’s live stream.' },
  { name: 'events', description: 'Publish CloudEvents; read stored events, their causality and streams; follow them live.' },
  { name: 'timeline', description: 'The space-time diagram’s compact pages.' },
  { name: 'replays', description: 'Replays of stored events through a flow revision, compared with the originals.' },
  { name: 'deadletters', description: 'The inputs nodes failed on, and re-drives of them through a revision.' },
  { name: 'imports', description: 'ShiViz/GoVector logs into the timeline.' },
  { name: 'node-types', description: 'The palette.' },
];

const DESCRIPTION = `The HTTP API of Causeway. JSON everywhere unless a route says otherwise. Every error answer has one shape,
\`{"error": {"code", "message", "details": [...]}}\` (the \`Error\` schema): a 4xx for bad input, naming the field, never a 5xx.

**Auth.** With tokens configured (\`CAUSEWAY_TOKENS=name:role:secret,…\`), every route needs \`Authorization: Bearer <secret>\`
(401 without, 403 for a role too low), except those whose security is empty: health and this description. Roles rank
viewer < editor < admin; each route names the least role it needs. The event streams also take the token as
\`?access_token=\` (EventSource sends no headers); anywhere else a token in the URL is refused with 401. Without tokens the
server binds loopback only and takes anyone.

**Paging.** Reads answer a page and \`next\`: the \`after\` (or \`before\`) of the next page, null at the end.

**Streams.** Server-sent events: each message an \`event:\` name and one \`data:\` line of JSON, listed per route under
\`x-sse-messages\`. The prose of the contract is docs/api.md in the repository.`;

const COMMON_ERRORS: Partial<Record<ErrorStatus, string>> = {
  401: 'tokens are configured and the request has none, or not a valid one (`unauthorized`)',
  403: 'the token’s role is below the one this route needs (`forbidden`)',
};

const errorContent = (schema: z.ZodType = ErrorAnswerSchema) => ({ 'application/json': { schema } });

const idOf = (schema: z.ZodType, where: string): string => {
  const id = schema.meta()?.id;
  if (typeof id !== 'string') throw new Error(`${where}: a stream message's schema needs an id (.meta({ id }))`);
  return id;
};

function responsesOf(spec: RouteSpec): Record<string, ResponseConfig> {
  const { answer } = spec;
  const responses: Record<string, ResponseConfig> = {
    [answer.status]: {
      description: answer.description,
      ...(answer.content ? { content: Object.fromEntries(Object.entries(answer.content).map(([type, schema]) => [type, { schema }])) } : {}),
      ...(answer.headers
        ? { headers: Object.fromEntries(Object.entries(answer.headers).map(([name, description]) => [name, { description, schema: { type: 'string' as const } }])) }
        : {}),
    },
  };
  if (answer.notModified) responses[304] = { description: answer.notModified, headers: { ETag: { description: 'The revision the client holds.', schema: { type: 'string' as const } } } };
  const takesInput = spec.params !== undefined || (spec.query !== undefined && Object.keys(documentedQuery(spec.query).shape).length > 0) || spec.body !== undefined;
  const errors = { ...(takesInput ? { 400: 'a parameter or the body is not valid (naming it)' } : {}), ...(spec.role === null ? {} : COMMON_ERRORS), ...spec.errors };
  for (const [status, error] of Object.entries(errors)) {
    if (error === undefined) continue;
    responses[status] = typeof error === 'string' ? { description: error, content: errorContent() } : { description: error.description, content: errorContent(error.schema) };
  }
  responses.default = { description: 'the server failed to answer (`internal`, 500); the cause is in its log', content: errorContent() };
  return responses;
}

/**
 * The query as documented: without `access_token`, which every schema lets through but only the streams take, and
 * which the `accessToken` security scheme describes.
 */
function documentedQuery(query: z.ZodObject): z.ZodObject {
  const { access_token: _token, ...shape } = query.shape;
  return z.strictObject(shape);
}

/** The route as the generator takes it; the schemas its stream messages refer to are added to `components`. */
function routeConfigOf(name: string, spec: RouteSpec, components: Set<z.ZodType>): RouteConfig {
  const security: Record<string, string[]>[] = spec.role === null ? [] : spec.messages ? [{ [BEARER]: [spec.role] }, { [QUERY_TOKEN]: [spec.role] }] : [{ [BEARER]: [spec.role] }];
  const config: RouteConfig = {
    method: spec.method,
    path: spec.path,
    operationId: name,
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    security,
    request: {
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { query: documentedQuery(spec.query) } : {}),
      ...(spec.headers ? { headers: spec.headers } : {}),
      ...(spec.body
        ? {
            body: {
              description: spec.body.description,
              required: spec.body.required,
              content: Object.fromEntries(Object.entries(spec.body.content).map(([type, schema]) => [type, { schema }])),
            },
          }
        : {}),
    },
    responses: responsesOf(spec),
  };
  if (spec.messages) {
    const messages: Record<string, { $ref: string }> = {};
    for (const [event, schema] of Object.entries(spec.messages)) {
      const id = idOf(schema, `${spec.method.toUpperCase()} ${spec.path} message ${event}`);
      components.add(schema);
      messages[event] = { $ref: `#/components/schemas/${id}` };
    }
    config['x-sse-messages'] = messages;
  }
  return config;
}

/** The OpenAPI 3.1 document of every route in the table. */
export function openApiDocument(contract: ApiContract, version: string): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER, {
    type: 'http',
    scheme: 'bearer',
    description: 'A token of `CAUSEWAY_TOKENS`; its role (viewer, editor, admin) is what a route’s requirement lists. Not needed when the server has no tokens.',
  });
  registry.registerComponent('securitySchemes', QUERY_TOKEN, {
    type: 'apiKey',
    in: 'query',
    name: 'access_token',
    description: 'The same token in the query: accepted on the event streams only.',
  });
  // Named by their `.meta({ id })`: the generator lists them under `components.schemas`.
  const components = new Set<z.ZodType>([ErrorAnswerSchema]);
  for (const [name, spec] of Object.entries(contract)) registry.registerPath(routeConfigOf(name, spec, components));
  const definitions = [...registry.definitions, ...[...components].map((schema) => ({ type: 'schema' as const, schema }))];
  return new OpenApiGeneratorV31(definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Causeway HTTP API', version, description: DESCRIPTION },
    tags: TAGS,
  });
}
