/** The runtime of each node type, by type name. */
import type { NodeFactory } from '../node.js';
import { actor } from './actor.js';
import { batch } from './batch.js';
import { debug } from './debug.js';
import { dedupe } from './dedupe.js';
import { filter } from './filter.js';
import { fn } from './function.js';
import { httpIn } from './http.js';
import { httpRequest } from './http-request.js';
import { linkIn, linkOut, subflowIn, subflowOut } from './links.js';
import { mqtt } from './mqtt.js';
import { mqttPublish } from './mqtt-publish.js';
import { router } from './router.js';
import { simulator } from './simulator.js';
import { store } from './store.js';
import { throttle } from './throttle.js';
import { timer } from './timer.js';
import { transform } from './transform.js';

export const NODE_RUNTIMES: Readonly<Record<string, NodeFactory>> = {
  http: httpIn,
  timer,
  simulator,
  filter,
  transform,
  router,
  batch,
  throttle,
  dedupe,
  function: fn,
  actor,
  debug,
  store,
  mqtt,
  'mqtt-publish': mqttPublish,
  'http-request': httpRequest,
  'link-out': linkOut,
  'link-in': linkIn,
  'subflow-in': subflowIn,
  'subflow-out': subflowOut,
};
