/** The peer comparisons `npm run bench -- --peers` adds (bench/README.md), in the order they run. */
import type { FigureGroup } from '../figure-group.js';
import { noderedDispatchFigures } from './peers-nodered-dispatch.js';
import { noderedHttpFigures } from './peers-nodered-http.js';
import { emmettFigures, rawPostgresFigures } from './peers-postgres.js';

export const peerFigures: FigureGroup[] = [noderedHttpFigures, noderedDispatchFigures, emmettFigures, rawPostgresFigures];
