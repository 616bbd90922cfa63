/**
 * The layers of Causeway, as rules `layers.test.ts` holds the code to (and
 * `npx depcruise server shared web bench e2e deploy` prints). The house has one direction: `shared/` is pure and imports nothing of ours; `web/` imports `shared/`;
 * below `server/start.ts` the arrows run http → replay → runtime → compiler and store → shared, with the small
 * server-side services each at a level of its own (LAYERS says where, and what each may import). No import cycles
 * anywhere. Test helpers live in `testing/` folders, and product code never imports them.
 *
 * Who the rules bind: product code and test helpers (a helper in `http/testing/` is part of http, so it cannot
 * reach up to `start.ts`; the harness that starts a whole server is `server/testing/`, at start's level). A test
 * file (`*.test.ts`) is nobody's dependency, so it may stand up as much of the system as it tests; it is still held
 * to the store's front door, and a web test reaches the server only through its test helpers.
 */

/** `x.test.ts`, `x.integration.test.ts`, `x.e2e.test.ts`, `X.test.tsx`. */
const TEST = '\\.test\\.tsx?$';
/** Test helpers: a `testing/` folder anywhere, and the end-to-end suite, which is test code throughout. */
const TEST_HELPER = '(^|/)testing/|^e2e/';
const TEST_CODE = `${TEST}|${TEST_HELPER}`;

/**
 * Every folder and root file of `server/`, top to bottom, and what its product code and test helpers may import
 * besides itself and npm packages. A layer imports only layers below it; siblings (compiler and store; transport,
 * sandbox) know nothing of each other.
 */
export const LAYERS = {
  /** The process entry: `npm start`. Nothing imports it. */
  main: { path: '^server/main\\.ts$', may: ['start', 'settings'] },
  /** Assembling a server: store, engine, demo flow, HTTP; and the test harness that starts one. */
  start: {
    path: '^server/(start|demo)\\.ts$|^server/testing/',
    may: ['http', 'cluster', 'metrics', 'replay', 'imports', 'runtime', 'compiler', 'store', 'transport', 'sandbox', 'threads', 'clocks', 'settings'],
  },
  /** The HTTP API. */
  http: { path: '^server/http/', may: ['cluster', 'metrics', 'replay', 'imports', 'runtime', 'compiler', 'store', 'transport', 'sandbox', 'threads', 'clocks', 'settings'] },
  /** Replicas on one database: membership, partition leases, and the messages between them. */
  cluster: { path: '^server/cluster/', may: ['runtime', 'compiler', 'store', 'transport', 'sandbox', 'threads', 'clocks'] },
  /** Prometheus metrics of the engine, the store and the HTTP layer, served by http. */
  metrics: { path: '^server/metrics\\.ts$', may: ['runtime', 'compiler', 'store', 'transport', 'sandbox', 'threads', 'clocks'] },
  /** Replays: stored events through a flow revision in a namespace of their own. */
  replay: { path: '^server/replay/', may: ['runtime', 'compiler', 'store', 'transport', 'sandbox', 'threads', 'clocks'] },
  /** Importing ShiViz logs: parsing in worker threads; the routes append what it gives. */
  imports: { path: '^server/imports/', may: ['store', 'threads'] },
  /** The engine, flow runtimes and node runtimes. */
  runtime: { path: '^server/runtime/', may: ['compiler', 'store', 'transport', 'sandbox', 'threads', 'clocks'] },
  /** A flow document to a runtime graph, or every problem. */
  compiler: { path: '^server/compiler/', may: ['sandbox'] },
  /** The EventStore contract and its adapters. */
  store: { path: '^server/store/', may: ['threads', 'clocks'] },
  /** Clients of brokers: MQTT, and NATS between replicas. */
  transport: { path: '^server/transport/', may: ['threads'] },
  /** The QuickJS sandbox that checks and runs user JavaScript, beneath both compiler and runtime. */
  sandbox: { path: '^server/sandbox/', may: ['threads'] },
  /** Worker threads that run TypeScript modules. */
  threads: { path: '^server/threads/', may: [] },
  /** shared/clock.ts's comparisons of two clocks, counted for metrics (the store and the runtime make them). */
  clocks: { path: '^server/clocks\\.ts$', may: [] },
  /**
   * Configuration and logging are read at the edge (start, http): the layers below are handed values and a `log`
   * callback, so they can be built and tested without either.
   */
  settings: { path: '^server/(config|config-seed|config-values|logger)\\.ts$', may: [] },
};

const pathsOf = (names) => names.map((name) => LAYERS[name].path);

const layerRules = Object.entries(LAYERS).map(([name, layer]) => ({
  name: `layer-${name}`,
  severity: 'error',
  comment:
    `${name} (${layer.path}) may import ${layer.may.length > 0 ? layer.may.join(', ') : 'no other layer'}, and shared/; ` +
    'a lower layer that needs something of a higher one has it in the wrong place',
  from: { path: layer.path, pathNot: TEST },
  to: {
    path: '^(server|web|bench|e2e|shared)/',
    pathNot: [layer.path, '^shared/', ...pathsOf(layer.may)],
  },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'an import cycle ties its modules into one: take the shared piece out into a module of its own',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-is-pure',
      severity: 'error',
      comment: 'shared/ is used by the server and the web app alike, so it imports nothing of ours outside shared/',
      from: { path: '^shared/' },
      to: { path: '^(server|web|bench|e2e|deploy)/' },
    },
    {
      name: 'web-not-server',
      severity: 'error',
      comment: 'the web app knows the server only through HTTP and the types of shared/',
      from: { path: '^web/', pathNot: TEST },
      to: { path: '^(server|bench|e2e)/' },
    },
    {
      name: 'web-tests-through-the-harness',
      severity: 'error',
      comment: "a web test may start a real server and talk to it with the server's test helpers (testing/ folders), never import its code",
      from: { path: `^web/.*${TEST}` },
      to: { path: '^server/', pathNot: '(^|/)testing/' },
    },
    {
      name: 'server-not-web',
      severity: 'error',
      comment: 'the server serves the built web app; it does not import its code',
      from: { path: '^server/' },
      to: { path: '^web/' },
    },
    {
      name: 'product-not-test-code',
      severity: 'error',
      comment: 'product code never imports tests, test helpers (testing/ folders, e2e/), the bench or the deployment checks',
      from: { path: '^(server|shared|web)/', pathNot: TEST_CODE },
      to: { path: `${TEST_CODE}|^(bench|deploy)/` },
    },
    {
      name: 'store-front-door',
      severity: 'error',
      comment: 'outside server/store/, the store is imported through server/store/index.ts (tests may also use its testing/ helpers)',
      from: { path: '^(server|bench|web|e2e)/', pathNot: '^server/store/' },
      to: { path: '^server/store/', pathNot: `^server/store/index\\.ts$|${TEST_HELPER}` },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|^dist/' },
    // Type-only imports count: a type in the wrong layer is a dependency on that layer all the same.
    tsPreCompilationDeps: true,
    // The sources import `./x.js` for `./x.ts`, as TypeScript wants: dependency-cruiser maps `.js` to `.ts`, `.tsx`
    // and `.d.ts` itself when no `.js` file is there (layers.test.ts checks that every relative import resolves).
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};

/**
 * Temporary exceptions, each for a violation being removed by work under way: `layers.test.ts` tolerates a violation
 * matching one (rule name, and `from` and `to` as regular expressions) and fails on an exception that matches
 * nothing, so none outlives its reason. None today.
 */
export const TEMPORARY_EXCEPTIONS = [];
