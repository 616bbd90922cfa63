/**
 * The HTTP API as one table: every route the server serves, by name, each with its request and answer schemas
 * (route.ts says what a route holds). The server validates with it and types its answers by it; the OpenAPI
 * document at `/api/openapi.json` is generated from it, each route once; the web client parses answers with the
 * same schemas, imported from the resource modules.
 */
import { clusterContract } from './cluster.js';
import { deadLetterContract } from './deadletters.js';
import { eventContract } from './events.js';
import { flowTestContract } from './flow-tests.js';
import { flowContract } from './flows.js';
import { healthContract } from './health.js';
import { importContract } from './imports.js';
import { nodeTypeContract } from './node-types.js';
import type { ApiLimits } from './query.js';
import { replayContract } from './replays.js';
import type { RouteSpec } from './route.js';
import { timelineContract } from './timeline.js';

export type { ApiLimits } from './query.js';
export type { JsonAnswer, RouteSpec } from './route.js';

/** Every route, with the limits this server sets. */
export const apiContract = (limits: ApiLimits) => ({
  ...healthContract,
  ...clusterContract,
  ...flowContract,
  ...flowTestContract,
  ...eventContract(limits),
  ...timelineContract,
  ...replayContract(limits),
  ...deadLetterContract(limits),
  ...importContract,
  ...nodeTypeContract,
});

export type ApiContract = ReturnType<typeof apiContract>;
export type RouteName = keyof ApiContract;

/** The routes as a list, for whatever walks them all (the OpenAPI document, the contract tests). */
export const routeList = (contract: ApiContract): RouteSpec[] => Object.values(contract);
