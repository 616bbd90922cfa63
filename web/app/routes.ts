/** The client routes, matched from a path: pure, so the router and its tests share one definition. */
export type Route =
  | { name: 'flows' }
  | { name: 'editor'; flowId: string }
  | { name: 'timeline' }
  | { name: 'timeline-compare' }
  | { name: 'replays' }
  | { name: 'replay'; replayId: string }
  | { name: 'deadletters' }
  | { name: 'not-found'; path: string };

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/flows') return { name: 'flows' };
  if (path === '/timeline') return { name: 'timeline' };
  if (path === '/timeline/compare') return { name: 'timeline-compare' };
  if (path === '/replays') return { name: 'replays' };
  if (path === '/deadletters') return { name: 'deadletters' };
  const editor = decoded(/^\/flows\/([^/]+)$/.exec(path));
  if (editor) return { name: 'editor', flowId: editor };
  const replay = decoded(/^\/replays\/([^/]+)$/.exec(path));
  if (replay) return { name: 'replay', replayId: replay };
  return { name: 'not-found', path };
}

/** The matched id, percent-decoded; null when there is none or its encoding is broken (a mistyped URL). */
function decoded(match: RegExpExecArray | null): string | null {
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

export const flowPath = (flowId: string) => `/flows/${encodeURIComponent(flowId)}`;
export const replayPath = (replayId: string) => `/replays/${encodeURIComponent(replayId)}`;

/** The editor with a node selected, centred and its settings open (`?node=`). */
export const flowNodePath = (flowId: string, nodeId: string) => `${flowPath(flowId)}?${new URLSearchParams({ node: nodeId })}`;

/** The timeline with an event selected, brought into view and shown in the inspector (`?event=`). */
export const timelineEventPath = (eventId: string) => `/timeline?${new URLSearchParams({ event: eventId })}`;

/** The dead-letter view, filtered to a flow and a node when given. */
export const deadLettersPath = (filter: { flowId?: string | null; nodeId?: string | null } = {}) => {
  const query = new URLSearchParams();
  if (filter.flowId) query.set('flowId', filter.flowId);
  if (filter.nodeId) query.set('nodeId', filter.nodeId);
  const text = query.toString();
  return text ? `/deadletters?${text}` : '/deadletters';
};
