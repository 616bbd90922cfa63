/** The client routes, matched from a path: pure, so the router and its tests share one definition. */
export type Route =
  | { name: 'flows' }
  | { name: 'editor'; flowId: string }
  | { name: 'timeline' }
  | { name: 'replay'; replayId: string }
  | { name: 'not-found'; path: string };

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/flows') return { name: 'flows' };
  if (path === '/timeline') return { name: 'timeline' };
  const editor = /^\/flows\/([^/]+)$/.exec(path);
  if (editor?.[1]) return { name: 'editor', flowId: decodeURIComponent(editor[1]) };
  const replay = /^\/replays\/([^/]+)$/.exec(path);
  if (replay?.[1]) return { name: 'replay', replayId: decodeURIComponent(replay[1]) };
  return { name: 'not-found', path };
}

export const flowPath = (flowId: string) => `/flows/${encodeURIComponent(flowId)}`;
