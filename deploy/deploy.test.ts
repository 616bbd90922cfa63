/**
 * The deployment files, read as their tools read them (no container engine needed): the image starts Causeway the
 * way the README and CI do and stops it cleanly, the compose file and the Kubernetes manifests wire each replica to
 * services and secrets that exist, and every variable they give Causeway is one the server reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { isConfigError, isLoopback, parseTokens } from '../server/config.js';
import { interpolate, parseDotenv, requiredVariablesIn } from './testing/compose-variables.js';
import { execFormOf, instructionsOf, optionsOf, parseDockerfile, variablesOf, type Stage } from './testing/dockerfile.js';
import { envReadsIn } from './testing/env-reads.js';
import { startCommandOf } from './testing/quick-start.js';

const ROOT = resolve(import.meta.dirname, '..');
const DEPLOY = join(ROOT, 'deploy');
const KUBERNETES = join(DEPLOY, 'kubernetes');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Where configuration is read, by the layers' rule (`settings` in .dependency-cruiser.mjs). */
const SERVER_READS = new Set([...envReadsIn(read('server/config.ts')), ...envReadsIn(read('server/logger.ts'))]);
const START_COMMAND = startCommandOf(read('README.md'));

// ---- the image ----

const dockerfile = parseDockerfile(read('deploy/Dockerfile'));
const finalStage = dockerfile.stages.at(-1) as Stage;
const lastArgs = (stage: Stage, keyword: string) => instructionsOf(stage, keyword).at(-1)?.args;
const imageEnv: Record<string, string> = Object.assign({}, ...instructionsOf(finalStage, 'ENV').map((i) => variablesOf(i.args)));
const exposedPorts = instructionsOf(finalStage, 'EXPOSE').flatMap((i) => i.args.split(/\s+/).map((p) => Number(p.split('/')[0])));
const imageUser = lastArgs(finalStage, 'USER');
const imageUid = imageUser?.split(':')[0];

// ---- compose ----

interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | { target: number; published?: string | number; host_ip?: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
}

const composeText = read('deploy/compose.yaml');
const compose = parseYaml(composeText, { merge: true }) as { services: Record<string, ComposeService> };
const dotenvExample = parseDotenv(read('deploy/.env.example'));

/** A service's environment as Compose would hand it over, with deploy/.env.example as the .env file. */
function environmentOf(service: ComposeService): Record<string, string> {
  const entries: [string, string][] = Array.isArray(service.environment)
    ? service.environment.map((e) => [e.split('=')[0] as string, e.slice(e.indexOf('=') + 1)])
    : Object.entries(service.environment ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]);
  return Object.fromEntries(entries.map(([k, v]) => [k, interpolate(v, dotenvExample)]));
}

const builtFromOurDockerfile = (service: ComposeService) =>
  service.build !== undefined && resolve(DEPLOY, service.build.context ?? '.', service.build.dockerfile ?? 'Dockerfile') === join(DEPLOY, 'Dockerfile');
const replicas = Object.entries(compose.services).filter(([, service]) => builtFromOurDockerfile(service));
const wordsOf = (command: string | string[] | undefined) => (Array.isArray(command) ? command : (command ?? '').split(/\s+/));
const dependsOn = (service: ComposeService): Record<string, { condition?: string }> =>
  Array.isArray(service.depends_on) ? Object.fromEntries(service.depends_on.map((name) => [name, {}])) : (service.depends_on ?? {});

// ---- Kubernetes ----

interface Manifest {
  file: string;
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

const manifestFiles = readdirSync(KUBERNETES).filter((f) => /\.ya?ml$/.test(f));
const parsedFiles = manifestFiles.map((file) => ({ file, documents: parseAllDocuments(readFileSync(join(KUBERNETES, file), 'utf8')) }));
const manifests: Manifest[] = parsedFiles.flatMap(({ file, documents }) =>
  (Array.isArray(documents) ? documents : [documents]).map((d) => ({ file, ...(d.toJS() as object) })),
);
const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const named = (kind: string, name: string) => ofKind(kind).find((m) => m.metadata?.name === name);

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet?: { path?: string; port?: string | number };
}
interface Container {
  name: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
}
interface StatefulSet extends Manifest {
  spec: {
    replicas: number;
    serviceName: string;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: { containers: Container[]; securityContext?: { runAsNonRoot?: boolean; runAsUser?: number } };
    };
  };
}
interface Service extends Manifest {
  spec: { clusterIP?: string; type?: string; selector: Record<string, string>; ports: { name?: string; port: number; targetPort?: string | number }[] };
}
interface Keyed extends Manifest {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

const statefulSet = ofKind('StatefulSet').find((m) => m.metadata?.name === 'causeway') as StatefulSet | undefined;
const podSpec = statefulSet?.spec.template.spec;
const container = podSpec?.containers[0];
const containerEnv = (name: string) => container?.env?.find((e) => e.name === name);
const keysOf = (m: Keyed | undefined) => Object.keys({ ...m?.data, ...m?.stringData });
/** A key's value: a Secret's `data` is base64, a ConfigMap's plain. */
function valueIn(m: Keyed | undefined, key: string): string | undefined {
  const data = m?.data?.[key];
  if (m?.stringData?.[key] !== undefined) return m.stringData[key];
  return data !== undefined && m?.kind === 'Secret' ? Buffer.from(data, 'base64').toString('utf8') : data;
}

/** The container port a probe's or a Service's port names (by name or by number), if the container declares it. */
const containerPortOf = (port: string | number | undefined) =>
  container?.ports?.find((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port || String(p.containerPort) === port));

/** What the server in the container listens on: PORT from the manifest, else from the image. */
const listeningPort = Number(containerEnv('PORT')?.value ?? imageEnv.PORT);

const refusesTokens = (tokens: string) => {
  try {
    parseTokens(tokens);
    return false;
  } catch (error) {
    if (isConfigError(error, 'invalid_setting')) return true;
    throw error;
  }
};

describe('the image (deploy/Dockerfile)', () => {
  it('builds in one stage and runs in another, holding the web app built there, as a user who is not root', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    const earlier = dockerfile.stages.slice(0, -1);
    expect(earlier.flatMap((s) => instructionsOf(s, 'RUN')).some((i) => /\bnpm ci\b/.test(i.args))).toBe(true);
    expect(earlier.flatMap((s) => instructionsOf(s, 'RUN')).some((i) => /\bnpm run build\b/.test(i.args))).toBe(true);
    const copiedFromBuild = instructionsOf(finalStage, 'COPY').filter((i) => earlier.some((s) => optionsOf(i.args).options.from === s.name));
    expect(copiedFromBuild.map((i) => optionsOf(i.args).rest)).toContainEqual(expect.stringMatching(/(^|\/)dist(\/web)?\s/));
    expect(imageUser, 'the final stage sets USER').toBeDefined();
    expect(['root', '0']).not.toContain(imageUid);
  });

  it('checks its health at /api/health on the port it exposes and listens on', () => {
    const healthcheck = lastArgs(finalStage, 'HEALTHCHECK');
    expect(healthcheck).toBeDefined();
    const { rest } = optionsOf(healthcheck as string);
    expect(rest).toMatch(/^CMD\s/);
    const url = /https?:\/\/(?:127\.0\.0\.1|localhost):(\d+)\/api\/health\b/.exec(rest.replace(/^CMD\s+/, ''));
    expect(url, `a local /api/health URL in ${rest}`).not.toBeNull();
    const port = Number(url?.[1]);
    expect(exposedPorts).toContain(port);
    expect(Number(imageEnv.PORT)).toBe(port);
  });

  it("starts with the README's Quick start command, the one .ci/run runs, and stops on SIGTERM", () => {
    expect(execFormOf(lastArgs(finalStage, 'CMD') ?? '')?.join(' ')).toBe(START_COMMAND);
    expect(lastArgs(finalStage, 'ENTRYPOINT'), 'an ENTRYPOINT would change what CMD runs').toBeUndefined();
    const escaped = START_COMMAND.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const ciLines = read('.ci/run').split('\n').filter((l) => !l.trim().startsWith('#'));
    expect(ciLines.some((l) => new RegExp(`(^|[\\s;&|])${escaped}($|[\\s;&|>])`).test(l))).toBe(true);
    expect(lastArgs(finalStage, 'STOPSIGNAL')).toBe('SIGTERM');
  });

  it('has npm run its scripts with bash, which execs the command, so the SIGTERM npm forwards reaches the server', () => {
    // Debian's sh (dash) keeps itself between npm and the script and dies on SIGTERM without passing it on.
    const runs = instructionsOf(finalStage, 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm config set (?:--global |-g |--location=global )script-shell \/(?:usr\/)?bin\/bash\b/.test(r))).toBe(true);
  });

  it('binds beyond loopback, so it needs tokens wherever it runs', () => {
    expect(isLoopback(imageEnv.HOST ?? '127.0.0.1')).toBe(false);
  });
});

describe('three replicas and their services (deploy/compose.yaml)', () => {
  it('builds exactly three replicas from the repository root with deploy/Dockerfile, each a process name of its own', () => {
    expect(replicas.map(([name]) => name)).toHaveLength(3);
    const processes = replicas.map(([, s]) => environmentOf(s).CAUSEWAY_PROCESS);
    expect(processes.every((p) => typeof p === 'string' && p !== '')).toBe(true);
    expect(new Set(processes).size).toBe(3);
  });

  it('points each replica at the PostgreSQL, NATS JetStream and Mosquitto of the file, and waits for the first two to be healthy', () => {
    for (const [name, service] of replicas) {
      const env = environmentOf(service);
      const database = new URL(env.DATABASE_URL ?? '');
      const nats = new URL(env.NATS_URL ?? '');
      const mqtt = new URL(env.MQTT_URL ?? '');
      expect(database.protocol, name).toBe('postgres:');
      expect(nats.protocol, name).toBe('nats:');
      expect(mqtt.protocol, name).toBe('mqtt:');
      const postgres = compose.services[database.hostname];
      const natsServer = compose.services[nats.hostname];
      const mosquitto = compose.services[mqtt.hostname];
      expect(postgres?.image, `${name}: DATABASE_URL's host is a postgres service`).toMatch(/^postgres[:@]/);
      expect(natsServer?.image, `${name}: NATS_URL's host is a nats service`).toMatch(/^nats[:@]/);
      expect(wordsOf(natsServer?.command).some((w) => w === '-js' || w === '--jetstream'), 'NATS runs with JetStream').toBe(true);
      expect(mosquitto?.image, `${name}: MQTT_URL's host is a mosquitto service`).toMatch(/^eclipse-mosquitto[:@]/);
      const waits = dependsOn(service);
      expect(waits[database.hostname]?.condition, name).toBe('service_healthy');
      expect(waits[nats.hostname]?.condition, name).toBe('service_healthy');
      expect(postgres?.healthcheck?.test).toBeDefined();
      expect(natsServer?.healthcheck?.test).toBeDefined();
    }
  });

  it("publishes each replica's listening port on a host port of its own", () => {
    const published = replicas.map(([name, service]) => {
      // `host_ip:published:target` or the long form, as [published, target].
      const ports = (service.ports ?? []).map((p) => (typeof p === 'string' ? p.split(':').slice(-2) : [String(p.published ?? ''), String(p.target)]));
      expect(ports, name).toHaveLength(1);
      const parts = ports[0] as string[];
      expect(Number(parts.at(-1)), `${name} publishes the port the server listens on`).toBe(Number(environmentOf(service).PORT ?? imageEnv.PORT));
      expect(parts[0], `${name} is published on a fixed host port`).toMatch(/^\d+$/);
      return parts[0];
    });
    expect(new Set(published).size).toBe(replicas.length);
  });

  it('takes the tokens the image needs from the environment, and .env.example gives every variable the file requires', () => {
    const required = requiredVariablesIn(composeText);
    expect(required).toContain('CAUSEWAY_TOKENS');
    expect(Object.keys(dotenvExample)).toEqual(expect.arrayContaining([...required]));
    for (const [name, service] of replicas) {
      expect((service.environment as Record<string, string>).CAUSEWAY_TOKENS, name).toMatch(/^\$\{CAUSEWAY_TOKENS:\?/);
      const tokens = environmentOf(service).CAUSEWAY_TOKENS ?? '';
      expect(parseTokens(tokens).length, `${name}: the example tokens are ones the server accepts`).toBeGreaterThan(0);
    }
  });
});

describe('Kubernetes (deploy/kubernetes)', () => {
  it('parses every file, and the kustomization lists files that exist but not the example Secret', () => {
    for (const { file, documents } of parsedFiles) {
      for (const d of Array.isArray(documents) ? documents : [documents]) expect(d.errors.map(String), file).toEqual([]);
    }
    const kustomization = manifests.find((m) => m.kind === 'Kustomization') as (Manifest & { resources: string[] }) | undefined;
    expect(kustomization?.file).toBe('kustomization.yaml');
    expect(kustomization?.resources.filter((r) => !manifestFiles.includes(r))).toEqual([]);
    const listed = new Set(kustomization?.resources);
    const exampleSecrets = ofKind('Secret').filter((s) => /example/.test(s.file));
    expect(exampleSecrets.length).toBeGreaterThan(0);
    expect(exampleSecrets.filter((s) => listed.has(s.file)).map((s) => s.file), 'applying -k must not overwrite real secrets').toEqual([]);
    expect(manifestFiles.filter((f) => f !== 'kustomization.yaml' && !/example/.test(f) && !listed.has(f)), 'every other file is applied').toEqual([]);
  });

  it('runs a StatefulSet of three replicas, each named by its pod: CAUSEWAY_PROCESS is metadata.name', () => {
    expect(statefulSet?.spec.replicas).toBe(3);
    expect(containerEnv('CAUSEWAY_PROCESS')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    const labels = statefulSet?.spec.template.metadata.labels ?? {};
    expect(Object.entries(statefulSet?.spec.selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v)).toBe(true);
  });

  it('takes DATABASE_URL and CAUSEWAY_TOKENS from a Secret and NATS_URL from a ConfigMap that exist with those keys', () => {
    for (const name of ['DATABASE_URL', 'CAUSEWAY_TOKENS']) {
      const ref = containerEnv(name)?.valueFrom?.secretKeyRef;
      expect(ref, `${name} from a secretKeyRef`).toBeDefined();
      expect(keysOf(named('Secret', ref?.name ?? '') as Keyed | undefined), `${name}: the Secret ${ref?.name} has the key`).toContain(ref?.key);
    }
    const secret = named('Secret', containerEnv('DATABASE_URL')?.valueFrom?.secretKeyRef?.name ?? '') as Keyed;
    expect(valueIn(secret, 'DATABASE_URL')).toMatch(/^postgres(ql)?:\/\//);
    const natsRef = containerEnv('NATS_URL')?.valueFrom?.configMapKeyRef;
    const nats = containerEnv('NATS_URL')?.value ?? valueIn(named('ConfigMap', natsRef?.name ?? '') as Keyed | undefined, natsRef?.key ?? '');
    expect(nats).toMatch(/^nats:\/\//);
  });

  it("ships example tokens the server refuses, so an unedited copy of the Secret cannot start with a known secret", () => {
    const ref = containerEnv('CAUSEWAY_TOKENS')?.valueFrom?.secretKeyRef;
    const example = valueIn(named('Secret', ref?.name ?? '') as Keyed | undefined, ref?.key ?? '');
    expect(example).toBeDefined();
    expect(refusesTokens(example as string)).toBe(true);
  });

  it('probes readiness and liveness at /api/health on a port the container declares, the one the server listens on', () => {
    for (const probe of [container?.readinessProbe, container?.livenessProbe]) {
      expect(probe?.httpGet?.path).toBe('/api/health');
      expect(containerPortOf(probe?.httpGet?.port)?.containerPort).toBe(listeningPort);
    }
    expect(exposedPorts).toContain(listeningPort);
  });

  it('has a headless Service governing the StatefulSet and a ClusterIP Service, both selecting its pods and targeting its port', () => {
    const services = ofKind('Service') as Service[];
    const headless = services.find((s) => s.metadata?.name === statefulSet?.spec.serviceName);
    expect(headless?.spec.clusterIP).toBe('None');
    expect(services.some((s) => s.spec.clusterIP !== 'None' && (s.spec.type ?? 'ClusterIP') === 'ClusterIP')).toBe(true);
    const labels = statefulSet?.spec.template.metadata.labels ?? {};
    for (const service of services) {
      expect(Object.entries(service.spec.selector).every(([k, v]) => labels[k] === v), `${service.metadata?.name} selects the pods`).toBe(true);
      for (const port of service.spec.ports) expect(containerPortOf(port.targetPort ?? port.port)?.containerPort, service.metadata?.name).toBe(listeningPort);
    }
  });

  it('names the metrics port and tells Prometheus where to scrape /metrics', () => {
    const annotations = statefulSet?.spec.template.metadata.annotations ?? {};
    expect(annotations['prometheus.io/scrape']).toBe('true');
    expect(annotations['prometheus.io/path']).toBe('/metrics');
    const port = containerPortOf(Number(annotations['prometheus.io/port']));
    expect(port?.containerPort).toBe(listeningPort);
    expect(port?.name).toMatch(/^[a-z]/);
  });

  it("runs as a user who is not root, the image's own", () => {
    const context = { ...podSpec?.securityContext, ...container?.securityContext };
    expect(context.runAsNonRoot).toBe(true);
    expect(context.runAsUser).not.toBe(0);
    if (context.runAsUser !== undefined && /^\d+$/.test(imageUid ?? '')) expect(String(context.runAsUser)).toBe(imageUid);
  });
});

describe('the environment the deployment gives Causeway', () => {
  const given = {
    'deploy/Dockerfile': dockerfile.stages.flatMap((s) => instructionsOf(s, 'ENV').flatMap((i) => Object.keys(variablesOf(i.args)))),
    'deploy/compose.yaml': replicas.flatMap(([, service]) => Object.keys(environmentOf(service))),
    'deploy/kubernetes': (podSpec?.containers ?? []).flatMap((c) => [
      ...(c.env ?? []).map((e) => e.name),
      ...(c.envFrom ?? []).flatMap((from) => keysOf(named(from.configMapRef ? 'ConfigMap' : 'Secret', from.configMapRef?.name ?? from.secretRef?.name ?? '') as Keyed | undefined)),
    ]),
  };

  it('finds what the server reads by reading its configuration code', () => {
    // The scan must see the reads the server is known by; an empty or broken scan would let anything through below.
    expect([...SERVER_READS]).toEqual(expect.arrayContaining(['PORT', 'HOST', 'DATABASE_URL', 'CAUSEWAY_PROCESS']));
  });

  it('uses only variables the server reads', () => {
    for (const [file, names] of Object.entries(given)) {
      expect(names.length, `${file} gives Causeway variables`).toBeGreaterThan(0);
      expect(names.filter((n) => !SERVER_READS.has(n)), `${file}: variables the server does not read`).toEqual([]);
    }
  });
});
