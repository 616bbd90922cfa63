import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadLettersPath, flowNodePath, flowPath, matchRoute, timelineEventPath } from './routes.js';

describe('matching a path to a client route', () => {
  it('shows the flow list at the root and at /flows', () => {
    expect(matchRoute('/')).toEqual({ name: 'flows' });
    expect(matchRoute('/flows')).toEqual({ name: 'flows' });
  });

  it('shows the timeline at /timeline', () => {
    expect(matchRoute('/timeline')).toEqual({ name: 'timeline' });
  });

  it('opens the editor with the flow id taken from the path', () => {
    expect(matchRoute('/flows/f-1')).toEqual({ name: 'editor', flowId: 'f-1' });
  });

  it('shows the dead letters at /deadletters, and builds the links the view gives', () => {
    expect(matchRoute('/deadletters')).toEqual({ name: 'deadletters' });
    expect(deadLettersPath()).toBe('/deadletters');
    expect(deadLettersPath({ flowId: 'cold room', nodeId: 'fn' })).toBe('/deadletters?flowId=cold+room&nodeId=fn');
    expect(timelineEventPath('e/1')).toBe('/timeline?event=e%2F1');
    expect(flowNodePath('f 1', 'n&1')).toBe('/flows/f%201?node=n%261');
  });

  it('opens a replay with the replay id taken from the path', () => {
    expect(matchRoute('/replays/r-42')).toEqual({ name: 'replay', replayId: 'r-42' });
  });

  it('decodes percent-encoded ids, including an encoded slash', () => {
    expect(matchRoute('/flows/cold%20room')).toEqual({ name: 'editor', flowId: 'cold room' });
    expect(matchRoute('/flows/plant%2Fline-2')).toEqual({ name: 'editor', flowId: 'plant/line-2' });
    expect(matchRoute('/replays/%C3%A9t%C3%A9')).toEqual({ name: 'replay', replayId: 'été' });
  });

  it('ignores trailing slashes', () => {
    expect(matchRoute('/flows/')).toEqual({ name: 'flows' });
    expect(matchRoute('/timeline//')).toEqual({ name: 'timeline' });
    expect(matchRoute('/flows/f-1/')).toEqual({ name: 'editor', flowId: 'f-1' });
    expect(matchRoute('//')).toEqual({ name: 'flows' });
  });

  it('answers not-found with the path for unknown routes', () => {
    expect(matchRoute('/nowhere')).toEqual({ name: 'not-found', path: '/nowhere' });
    expect(matchRoute('/replays')).toEqual({ name: 'not-found', path: '/replays' });
  });

  it('answers not-found for paths deeper than a route', () => {
    expect(matchRoute('/flows/f-1/nodes')).toEqual({ name: 'not-found', path: '/flows/f-1/nodes' });
    expect(matchRoute('/replays/r-1/events')).toEqual({ name: 'not-found', path: '/replays/r-1/events' });
  });

  it('answers not-found, rather than throwing, for an id whose percent-encoding is broken', () => {
    expect(matchRoute('/flows/%E0%A4%A')).toEqual({ name: 'not-found', path: '/flows/%E0%A4%A' });
    expect(matchRoute('/replays/%')).toEqual({ name: 'not-found', path: '/replays/%' });
  });

  it('answers not-found for an empty id segment between slashes', () => {
    expect(matchRoute('/flows//x')).toEqual({ name: 'not-found', path: '/flows//x' });
  });

  it('reports the not-found path without its trailing slash', () => {
    expect(matchRoute('/nowhere/')).toEqual({ name: 'not-found', path: '/nowhere' });
  });

  it('matches route names case-sensitively', () => {
    expect(matchRoute('/Timeline').name).toBe('not-found');
    expect(matchRoute('/FLOWS/f-1').name).toBe('not-found');
  });
});

describe('building a flow path', () => {
  it('encodes characters that would change the path', () => {
    expect(flowPath('a/b?c#d')).toBe('/flows/a%2Fb%3Fc%23d');
  });

  it('leads back to the editor for the same flow id', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), (flowId) => {
        expect(matchRoute(flowPath(flowId))).toEqual({ name: 'editor', flowId });
      }),
    );
  });
});
