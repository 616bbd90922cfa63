/**
 * ShiViz's "collapse local events": on each lane, a run of consecutive events that neither send nor receive across
 * lanes is drawn as one mark with its count, so the messages stand out. Pure.
 */
import type { TimelineLayout } from './layout.js';

export interface LocalRun {
  lane: number;
  /** Axis values of the run's first and last event. */
  from: number;
  to: number;
  count: number;
  /** The run's events, in axis order. */
  events: number[];
}

/** Runs of at least `least` local events per lane, and per event whether a run holds it. */
export function localRuns(layout: TimelineLayout, least = 2): { runs: LocalRun[]; inRun: Uint8Array } {
  const n = layout.x.length;
  const talks = new Uint8Array(n);
  for (let k = 0; k < layout.edgeFrom.length; k++) {
    talks[layout.edgeFrom[k]!] = 1;
    talks[layout.edgeTo[k]!] = 1;
  }
  const open: (number[] | undefined)[] = new Array(layout.lanes.length);
  const runs: LocalRun[] = [];
  const inRun = new Uint8Array(n);
  const close = (lane: number) => {
    const events = open[lane];
    open[lane] = undefined;
    if (!events || events.length < least) return;
    for (const i of events) inRun[i] = 1;
    runs.push({ lane, from: layout.x[events[0]!]!, to: layout.x[events[events.length - 1]!]!, count: events.length, events });
  };
  for (let k = 0; k < layout.order.length; k++) {
    const i = layout.order[k]!;
    const lane = layout.lane[i]!;
    if (talks[i]) close(lane);
    else (open[lane] ??= []).push(i);
  }
  for (let lane = 0; lane < open.length; lane++) close(lane);
  runs.sort((a, b) => a.from - b.from || a.lane - b.lane);
  return { runs, inRun };
}
