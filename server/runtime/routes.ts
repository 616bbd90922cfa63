/**
 * Where an event goes in a running flow. It enters as an output of a producer's port — its own node's port for
 * what the flow produced, each matching http source's `out` for an outside event, each link-in's `out` for an event
 * a link-out (of any flow) appended to its link's stream — and is put in the mailbox of
 * every node wired after that port, in wire order (handler priority). Each mailbox it enters holds its position in
 * the progress until that node is done with it, so the checkpoint cannot pass an event a node still has.
 */
import type { StoredEvent } from '../../shared/event.js';
import { typeMatches } from '../../shared/event.js';
import { linkStream } from '../../shared/nodes/index.js';
import type { RuntimeGraph } from '../compiler/compile.js';
import type { Mailbox } from './mailbox.js';
import type { Progress } from './progress.js';

/** An event in a node's mailbox. */
export interface Delivery {
  event: StoredEvent;
  /** The edge it arrived by: part of derived ids, so two paths into one node derive distinct events. */
  arrival: string;
}

/** Where an event enters the flow: as an output of this producer's port. */
export interface Entry {
  producer: string;
  port: string;
}

export const NO_ENTRIES: readonly Entry[] = [];

/** Keys (event types for the http sources, ports per node) whose entries are kept at once. */
const MAX_CACHED_ENTRIES = 1024;

export class Routes {
  private readonly httpSources: { id: string; types: string[] }[] = [];
  /** The link-in nodes, by the stream their link's events are appended to (`link/<name>`). */
  private readonly linkIns = new Map<string, Entry[]>();
  /** The http sources an event type enters by, per type seen lately (the answer is the same for every event). */
  private readonly entriesByType = new Map<string, Entry[]>();
  /** The ports events name, by node: a node has few (a router's rules), and past MAX_CACHED_ENTRIES none are kept. */
  private readonly entriesByPort = new Map<string, Map<string, readonly Entry[]>>();

  constructor(
    private readonly graph: Pick<RuntimeGraph, 'flowId' | 'nodes' | 'outgoing'>,
    private readonly mailboxes: ReadonlyMap<string, { readonly mailbox: Mailbox<Delivery> }>,
    private readonly progress: Progress,
    /** Told of every event a port passes on, before it is put in mailboxes (a flow test records what nodes see). */
    private readonly observe?: (producer: string, port: string, event: StoredEvent) => void,
  ) {
    for (const node of graph.nodes.values()) {
      if (node.type === 'http') this.httpSources.push({ id: node.id, types: (node.config as { types: string[] }).types });
      if (node.type === 'link-in') {
        const stream = linkStream((node.config as { link: string }).link);
        this.linkIns.set(stream, [...(this.linkIns.get(stream) ?? []), { producer: node.id, port: 'out' }]);
      }
    }
  }

  /** Which producers' outputs an event is: its own node's port, or the http sources its type matches. */
  entriesFor(event: StoredEvent): readonly Entry[] {
    // A link-out's event (of any flow, this one too) enters by every link-in of its name.
    if (this.linkIns.size > 0 && event.flowId !== null) {
      const links = this.linkIns.get(event.stream);
      if (links && event.metadata.redrive === undefined) return links;
    }
    if (event.flowId === this.graph.flowId) {
      // A re-drive's events were carried through the flow by the re-drive itself: handling them again would repeat it.
      if (event.nodeId === null || !this.graph.nodes.has(event.nodeId) || event.metadata.redrive !== undefined) return NO_ENTRIES;
      const port = typeof event.metadata.port === 'string' ? event.metadata.port : 'out';
      return this.ownEntries(event.nodeId, port);
    }
    if (event.flowId !== null || event.nodeId !== null) return NO_ENTRIES;
    let entries = this.entriesByType.get(event.type);
    if (!entries) {
      entries = this.httpSources.filter((s) => s.types.some((t) => typeMatches(t, event.type))).map((s) => ({ producer: s.id, port: 'out' }));
      if (this.entriesByType.size >= MAX_CACHED_ENTRIES) this.entriesByType.clear();
      this.entriesByType.set(event.type, entries);
    }
    return entries;
  }

  /**
   * Puts the event in the mailbox of every node wired after the producer's port. Returns a promise only when a
   * mailbox is full and the rest must wait for room (backpressure); mostly it is done at once.
   */
  deliverFrom(producer: string, port: string, event: StoredEvent, fromWire = 0): Promise<void> | undefined {
    if (this.observe && fromWire === 0) this.observe(producer, port, event);
    const wires = this.graph.outgoing.get(producer)?.get(port);
    if (!wires) return undefined;
    for (let i = fromWire; i < wires.length; i++) {
      const wire = wires[i]!;
      const target = this.mailboxes.get(wire.target);
      if (!target) continue;
      this.progress.hold(event.position);
      let waiting: Promise<void> | void;
      try {
        waiting = target.mailbox.push({ event, arrival: wire.edgeId });
      } catch {
        // A closed mailbox (the flow is stopping) takes nothing more.
        this.progress.release(event.position);
        continue;
      }
      if (waiting) {
        return waiting.then(
          () => this.deliverFrom(producer, port, event, i + 1),
          () => {
            this.progress.release(event.position);
            return this.deliverFrom(producer, port, event, i + 1);
          },
        );
      }
    }
    return undefined;
  }

  /** The entry of a node's own port, one array per node and port (not one per event). */
  private ownEntries(nodeId: string, port: string): readonly Entry[] {
    let ports = this.entriesByPort.get(nodeId);
    if (!ports) this.entriesByPort.set(nodeId, (ports = new Map()));
    let entries = ports.get(port);
    if (!entries) {
      entries = [{ producer: nodeId, port }];
      if (ports.size < MAX_CACHED_ENTRIES) ports.set(port, entries);
    }
    return entries;
  }
}
