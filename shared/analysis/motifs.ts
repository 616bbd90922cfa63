/**
 * The motifs ShiViz finds, over the happened-before graph (graph.ts):
 * - **broadcast(k)**: one process sends to at least k distinct other processes in quick succession — consecutive
 *   events of its lane, none after the first a receipt, each send going to a process not yet sent to in the group;
 * - **gather(k)**: the mirror: one process receives from at least k distinct processes in succession — consecutive
 *   events, none before the last a send, each receipt from a process not yet heard in the group;
 * - **request-response(m)**: a sends to b on another process; there, at most m local events after b, c sends back
 *   to d on a's process, at most m local events after a.
 * Each match lists its events (in the group's order, then the messages' other ends). A broadcast or gather group
 * is ended by a repeated host, so a process that sends to the same hosts twice makes two broadcasts.
 *
 * Pure: no I/O. Linear in events and messages (request–response: in sends × m²).
 */
import type { AnalysisEvent, HappenedGraph } from './graph.js';
import type { MotifName } from './query-syntax.js';

export const MOTIF_DEFAULTS: Record<MotifName, number> = { broadcast: 2, gather: 2, 'request-response': 3 };

/** The first event of each process's lane. */
function laneHeads(graph: HappenedGraph): number[] {
  const heads: number[] = [];
  for (let i = 0; i < graph.previous.length; i++) if (graph.previous[i] === -1) heads.push(i);
  return heads;
}

/**
 * Broadcast groups (`out` = receivers, `in` = senders) or gather groups (mirrored): runs of a lane cut where
 * an event has messages the other way, then cut again where a host repeats.
 */
function groups(events: readonly AnalysisEvent[], graph: HappenedGraph, minHosts: number, direction: 'broadcast' | 'gather'): number[][] {
  const across = direction === 'broadcast' ? graph.receivers : graph.senders;
  const against = direction === 'broadcast' ? graph.senders : graph.receivers;
  const found: number[][] = [];
  for (const head of laneHeads(graph)) {
    let members: number[] = [];
    let hosts = new Set<string>();
    const close = () => {
      if (hosts.size >= minHosts) {
        const ends = members.flatMap((m) => across[m]!);
        found.push([...members, ...ends]);
      }
      members = [];
      hosts = new Set();
    };
    for (let i = head; i >= 0; i = graph.next[i]!) {
      // A broadcast may start at a receipt but not go on through one; a gather may end at a send but not go on past it.
      if (direction === 'broadcast' && against[i]!.length > 0) close();
      const targets = across[i]!.map((j) => events[j]!.process).filter((p) => p !== events[i]!.process);
      if (targets.length > 0) {
        if (targets.some((p) => hosts.has(p))) close();
        members.push(i);
        for (const p of targets) hosts.add(p);
      }
      if (direction === 'gather' && against[i]!.length > 0) close();
    }
    close();
  }
  return found.sort((a, b) => a[0]! - b[0]!);
}

/** Up to `steps + 1` events of a lane from `start` (itself first). */
function laneAhead(graph: HappenedGraph, start: number, steps: number): number[] {
  const out: number[] = [];
  for (let i = start; i >= 0 && out.length <= steps; i = graph.next[i]!) out.push(i);
  return out;
}

function requestResponses(events: readonly AnalysisEvent[], graph: HappenedGraph, maxLocal: number): number[][] {
  const found: number[][] = [];
  for (let a = 0; a < events.length; a++) {
    const host = events[a]!.process;
    const requester = new Set(laneAhead(graph, graph.next[a]!, maxLocal));
    if (requester.size === 0) continue;
    for (const b of graph.receivers[a]!) {
      if (events[b]!.process === host) continue;
      for (const c of laneAhead(graph, b, maxLocal)) {
        const d = graph.receivers[c]!.find((r) => requester.has(r));
        if (d !== undefined) {
          found.push(b === c ? [a, b, d] : [a, b, c, d]);
          break;
        }
      }
    }
  }
  return found;
}

/** The matches of a motif, each its events' indices; `param` null takes the default. */
export function findMotif(events: readonly AnalysisEvent[], graph: HappenedGraph, motif: MotifName, param: number | null): number[][] {
  const k = param ?? MOTIF_DEFAULTS[motif];
  if (motif === 'request-response') return requestResponses(events, graph, k);
  return groups(events, graph, k, motif);
}
