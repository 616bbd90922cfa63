/** The current time as event times are written (`toISOString`): the same text for every event of a millisecond. */
let last = { ms: -1, text: '' };

export function nowText(): string {
  const ms = Date.now();
  if (ms !== last.ms) last = { ms, text: new Date(ms).toISOString() };
  return last.text;
}
