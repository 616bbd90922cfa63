/**
 * The app shell: top navigation with who is signed in, and the page for the current route — or the sign-in page
 * while the server wants a token this tab does not have.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import type { WhoAmI } from '../../shared/session.js';
import { hasToken, signOut, startSession, useSession } from '../api/session.js';
import { Link, useLocation } from './router.js';
import { matchRoute } from './routes.js';
import { ComparePage, DeadLettersPage, ReplayPage, ReplaysPage, TimelinePage } from './lazy-pages.js';
import { SignInPage } from './SignInPage.js';

const FlowsPage = lazy(() => import('../flows/FlowsPage.js'));
const EditorPage = lazy(() => import('../canvas/EditorPage.js'));

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

/** The token's name and role, and a way out; nothing when the server takes anyone. */
function SessionBadge({ who }: { who: WhoAmI | null }) {
  if (who?.auth === 'none' || !hasToken()) return null;
  return (
    <div className="session" aria-label="Signed in">
      {who ? (
        <span data-testid="signed-in-as">
          {who.name} <span className="session-role">{who.role}</span>
        </span>
      ) : (
        <span>Signed in</span>
      )}
      <button type="button" className="small" onClick={signOut}>
        Sign out
      </button>
    </div>
  );
}

type Section = 'flows' | 'timeline' | 'replays' | 'deadletters' | null;

function Nav({ section, who }: { section: Section; who: WhoAmI | null }) {
  return (
    <nav className="top-nav" aria-label="Main">
      <Link to="/" className="brand">
        Causeway
      </Link>
      <Link to="/" aria-current={section === 'flows' ? 'page' : undefined}>
        Flows
      </Link>
      <Link to="/timeline" aria-current={section === 'timeline' ? 'page' : undefined}>
        Timeline
      </Link>
      <Link to="/replays" aria-current={section === 'replays' ? 'page' : undefined}>
        Replays
      </Link>
      <Link to="/deadletters" aria-current={section === 'deadletters' ? 'page' : undefined}>
        Dead letters
      </Link>
      <SessionBadge who={who} />
    </nav>
  );
}

function Page() {
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  switch (route.name) {
    case 'flows':
      return <FlowsPage />;
    case 'editor':
      return <EditorPage key={route.flowId} flowId={route.flowId} />;
    case 'timeline':
      return <TimelinePage />;
    case 'timeline-compare':
      return <ComparePage />;
    case 'replays':
      return <ReplaysPage />;
    case 'replay':
      return <ReplayPage key={route.replayId} id={route.replayId} replayId={route.replayId} />;
    case 'deadletters':
      return <DeadLettersPage />;
    default:
      return (
        <section className="page empty-state">
          <h1>Not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <Link to="/">Go to the flows</Link>.
          </p>
        </section>
      );
  }
}

export function App() {
  const { pathname } = useLocation();
  const session = useSession();
  useEffect(() => {
    void startSession();
  }, []);
  // What one token read is not shown to the next one.
  useEffect(() => {
    if (session.phase === 'signed-out') queryClient.clear();
  }, [session.phase]);
  const route = matchRoute(pathname);
  const section: Section =
    route.name === 'flows' || route.name === 'editor'
      ? 'flows'
      : route.name === 'timeline' || route.name === 'timeline-compare'
        ? 'timeline'
        : route.name === 'replays' || route.name === 'replay'
          ? 'replays'
          : route.name === 'deadletters'
            ? 'deadletters'
            : null;
  if (session.phase === 'checking') return <p className="page muted">Loading…</p>;
  if (session.phase === 'signed-out') {
    return (
      <div className="app">
        <SignInPage reason={session.reason} />
      </div>
    );
  }
  return (
    <QueryClientProvider client={queryClient}>
      <div className="app">
        <Nav section={section} who={session.who} />
        <Suspense fallback={<p className="page muted">Loading…</p>}>
          <Page />
        </Suspense>
      </div>
    </QueryClientProvider>
  );
}
