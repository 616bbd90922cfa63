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
