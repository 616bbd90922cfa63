/** Exporting the visible events: as JSON, and as a ShiViz log that the import reads back. Pure. */
import type { StoredEvent } from '../../shared/event.js';
import { toShiVizLog } from '../../shared/shiviz.js';
import { summary } from './events.js';

export const asJson = (events: readonly StoredEvent[]): string => JSON.stringify({ events }, null, 2);

export const asShiViz = (events: readonly StoredEvent[]): string =>
  toShiVizLog(events.map((e) => ({ process: e.process, vectorClock: e.vectorClock, text: `${e.type} ${summary(e)}` })));
