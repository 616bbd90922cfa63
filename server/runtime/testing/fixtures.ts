/** Test fixtures: compiled nodes parsed by their real schemas, and stored events. */
import type { StoredEvent } from '../../../shared/event.js';
import { nodeType } from '../../../shared/nodes/index.js';
import type { CompiledNode } from '../../compiler/compile.js';
import { NodeFailure, type HandleIO, type NodeHandler, type Output } from '../node.js';
import { NODE_RUNTIMES } from '../nodes/index.js';
import { sharedUserCodePool } from '../user-code/pool.js';

export function compiledNode(type: string, config: Record<string, unknown>, id = 'n1', process = 'main'): CompiledNode {
  const def = nodeType(type);
  if (!def) throw new Error(`unknown type ${type}`);
  const parsed = def.config.parse(config) as Record<string, unknown>;
  return { id, type, kind: def.kind, behaviour: def.behaviour, name: type, process, config: parsed, inputs: [...def.inputs], outputs: def.outputs(parsed) };
}

let position = 0;
export function storedEvent(over: Partial<StoredEvent> = {}): StoredEvent {
  position += 1;
  const id = over.id ?? `e${position}`;
  return {
    id,
    type: 'reading.recorded',
    source: 'test://sensor',
    time: new Date(1_700_000_000_000 + position * 1000).toISOString(),
    subject: null,
    datacontenttype: 'application/json',
    data: {},
    stream: 's',
    version: position,
    position,
    process: 'sensor-1',
    vectorClock: { 'sensor-1': position },
    correlationId: id,
    causationId: null,
    flowId: null,
    nodeId: null,
    revision: null,
    metadata: {},
    ...over,
  };
}

export async function handlerFor(type: string, config: Record<string, unknown>): Promise<NodeHandler> {
  return NODE_RUNTIMES[type]!({ node: compiledNode(type, config), flowId: 'f-test', userCode: sharedUserCodePool() });
}

/** One input through a node, by `handle` or as a batch of one; a failure is thrown, as `handle` throws it. */
export async function handleOne(handler: NodeHandler, event: StoredEvent, io: HandleIO): Promise<readonly Output[]> {
  if (handler.handle) return handler.handle(event, io);
  const [answer] = await handler.handleBatch!([event]);
  if (answer instanceof NodeFailure) throw answer;
  return answer!;
}

/** An io that records debug output and held releases. */
export function recordingIO() {
  const debugged: StoredEvent[] = [];
  const released: { outputs: Output[]; causes: StoredEvent[] }[] = [];
  const io: HandleIO = {
    hold: () => async (outputs, causes) => {
      released.push({ outputs, causes });
    },
    debug: (e) => debugged.push(e),
  };
  return { io, debugged, released };
}
