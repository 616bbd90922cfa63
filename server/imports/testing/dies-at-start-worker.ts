/** A ShiViz parser worker for tests that dies while loading, before it is ready. */
throw new Error('broken at start-up');
