import { describe, expect, it } from 'vitest';
import { flowText, modeText, rangeText, revisionText, startedByText } from './replay-text.js';

describe('how a replay reads in the list', () => {
  it('gives the range in UTC to the second, an open end as the start or now', () => {
    expect(rangeText({ from: '2026-01-05T09:00:00.000Z', to: '2026-01-05T09:30:15.250Z', filter: null })).toBe('2026-01-05 09:00:00 UTC → 2026-01-05 09:30:15 UTC');
    expect(rangeText({ from: null, to: null, filter: null })).toBe('the start → now');
  });

  it('follows the range with the filter it chose by', () => {
    expect(rangeText({ from: null, to: null, filter: { correlationId: 'c-1', type: 'reading.*' } })).toBe('the start → now · correlationId c-1, type reading.*');
  });

  it('names the revision it ran, or the latest before it is known', () => {
    expect(revisionText({ revision: 3 })).toBe('revision 3');
    expect(revisionText({ revision: null })).toBe('latest revision');
  });

  it('names the flow by name, by id when the name was not kept, and who started it', () => {
    expect(flowText({ flowName: 'cold room', flowId: 'f-1' })).toBe('cold room');
    expect(flowText({ flowName: null, flowId: 'f-1' })).toBe('f-1');
    expect(flowText({ flowName: '', flowId: 'f-1' })).toBe('f-1');
    expect(startedByText({ startedBy: 'ada' })).toBe('ada');
    expect(startedByText({ startedBy: null })).toBe('—');
    expect(modeText({ mode: 'live' })).toBe('live');
  });
});
