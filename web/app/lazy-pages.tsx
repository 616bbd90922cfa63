/**
 * The timeline, replay (one replay, and the list) and dead-letter pages load lazily, each from its own folder. `import.meta.glob` finds them at build
 * time, so the app builds whether or not a page exists yet; a missing one shows a notice instead.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

type PageModule = { default: ComponentType<Record<string, unknown>> };

const pages = import.meta.glob<PageModule>(['../timeline/TimelinePage.tsx', '../timeline/ComparePage.tsx', '../replay/ReplayPage.tsx', '../replay/ReplaysPage.tsx', '../deadletters/DeadLettersPage.tsx']);

function Missing({ what }: { what: string }) {
  return (
    <section className="page empty-state" aria-label={what}>
      <h1>{what}</h1>
      <p>This part of Causeway is not available in this build.</p>
    </section>
  );
}

function page(path: string, what: string): LazyExoticComponent<ComponentType<Record<string, unknown>>> {
  const load = pages[path];
  return lazy(async () => (load ? load() : { default: () => <Missing what={what} /> }));
}

export const TimelinePage = page('../timeline/TimelinePage.tsx', 'Timeline');
export const ComparePage = page('../timeline/ComparePage.tsx', 'Compare executions');
export const ReplayPage = page('../replay/ReplayPage.tsx', 'Replay');
export const ReplaysPage = page('../replay/ReplaysPage.tsx', 'Replays');
export const DeadLettersPage = page('../deadletters/DeadLettersPage.tsx', 'Dead letters');
