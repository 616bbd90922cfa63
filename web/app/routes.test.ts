import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadLettersPath, flowNodePath, flowPath, matchRoute, replayPath, timelineEventPath } from './routes.js';

describe('matching a path to a client route', () => {
  it('shows the flow list at the root and at /flows', () => {
    expect(matchRoute('/')).toEqual({ name: 'flows' });
    expect(matchRoute('/flows')).toEqual({ name: 'flows' });
  });

  it('shows the timeline at /timeline', () => {
    expect(matchRoute('/timeline')).toEqual({ name: 'timeline' });
    expect(matchRoute('/timeline/compare')).toEqual({ name: 'timeline-compare' });
  });

  it('opens the editor with the flow id taken from the path', () => {
    expect(matchRoute('/flows/f-1')).toEqual({ name: 'editor', flowId: 'f-1' });
  });

  it('lists the replays at /replays', () => {
    expect(matchRoute('/replays')).toEqual({ name: 'replays' });
    expect(matchRoute('/replays/')).toEqual({ name: 'replays' });
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

describe('building the links that land on a node, an event or a replay', () => {
  const parts = (link: string) => new URL(link, 'http://local');

  it('opens the editor of the flow with the node named in `node`, whatever characters either id holds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), fc.string({ minLength: 1, unit: 'grapheme' }), (flowId, nodeId) => {
        const url = parts(flowNodePath(flowId, nodeId));
        expect(matchRoute(url.pathname)).toEqual({ name: 'editor', flowId });
        expect(url.searchParams.get('node')).toBe(nodeId);
      }),
    );
  });

  it('opens the timeline with the event named in `event`, whatever characters its id holds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), (eventId) => {
        const url = parts(timelineEventPath(eventId));
        expect(matchRoute(url.pathname)).toEqual({ name: 'timeline' });
        expect(url.searchParams.get('event')).toBe(eventId);
      }),
    );
    expect(timelineEventPath('a&b=c')).toBe('/timeline?event=a%26b%3Dc');
  });

  it('opens the replay of the id', () => {
    expect(matchRoute(replayPath('r/1?x'))).toEqual({ name: 'replay', replayId: 'r/1?x' });
  });
});
