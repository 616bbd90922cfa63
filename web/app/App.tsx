/** The app shell: top navigation and the page for the current route. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Link, useLocation } from './router.js';
import { matchRoute } from './routes.js';
import { ReplayPage, TimelinePage } from './lazy-pages.js';

const FlowsPage = lazy(() => import('../flows/FlowsPage.js'));
const EditorPage = lazy(() => import('../canvas/EditorPage.js'));

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

function Nav({ section }: { section: 'flows' | 'timeline' | null }) {
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
    case 'replay':
      return <ReplayPage key={route.replayId} id={route.replayId} replayId={route.replayId} />;
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
  const route = matchRoute(pathname);
  const section = route.name === 'flows' || route.name === 'editor' ? 'flows' : route.name === 'timeline' || route.name === 'replay' ? 'timeline' : null;
  return (
    <QueryClientProvider client={queryClient}>
      <div className="app">
        <Nav section={section} />
        <Suspense fallback={<p className="page muted">Loading…</p>}>
          <Page />
        </Suspense>
      </div>
    </QueryClientProvider>
  );
}
