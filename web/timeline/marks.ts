/** Performance marks the timeline sets, for anyone timing it (the browser's devtools, the bench). */

/** Set once, when the diagram is first drawn with events on it; its detail is `{ events }`, how many were drawn. */
export const EVENTS_PAINTED_MARK = 'timeline:events-painted';

/** Set once, when the overview of the whole store is first drawn; its detail is `{ events }`, how many it counts. */
export const OVERVIEW_PAINTED_MARK = 'timeline:overview-painted';
