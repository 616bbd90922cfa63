/**
 * One replica's part in a cluster: it beats its heart into PostgreSQL, leases the flows the placement plan gives it,
 * runs them with their lease's fence, and lets go of the others; a deploy or stop on any replica reaches every
 * other through NATS within a moment, and the periodic round catches whatever a message missed. The promise: a
 * deployed flow runs on at most one replica that can write (a run whose lease was taken is fenced in the store and
 * stopped here as soon as a renewal shows it), and on one within the lease time of its owner's death.
 *
 * Rounds run one at a time; a round asked for while one runs is run once after it. The unit of a lease is a flow
 * partition (runtime/partitions.ts): each deployed flow is split into `partitions`, each run by the replica that
 * holds its lease, with the replica's own process stamping what its nodes derive.
 */
import type { FlowStatus } from '../../shared/api/flows.js';
import type { ClusterAnswer } from '../../shared/api/cluster.js';
import type { Engine, FlowPlacement } from '../runtime/engine.js';
import { combinedStatus } from '../runtime/flow-status.js';
import type { PartitionSpec } from '../runtime/partitions.js';
import type { ReplicaStatus } from '../runtime/placement.js';
import { fencedStore, type ClusterRepository, type ClusterStore, type Fence, type Member } from '../store/index.js';
import type { MessageBus } from '../transport/nats.js';
import { partitionKey, placementOf } from './placement.js';
import { ControlMessageSchema, DebugRelaySchema, StatusMessageSchema, subjectsOf, type ControlMessage, type StatusMessage } from './subjects.js';

export interface CoordinatorOptions {
  store: ClusterStore;
  engine: Engine;
  bus: MessageBus;
  /** This replica's process name. */
  name: string;
  clusterName: string;
  leaseMs: number;
  /** Partitions of each deployed flow (default 8). */
  partitions?: number;
  /** How often a replica sends the status of the flows it runs (ms). */
  statusMs?: number;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

export class ClusterCoordinator implements FlowPlacement {
  private readonly cluster: ClusterRepository;
  private readonly subjects;
  private readonly log;
  /** The leases this replica holds and runs, by partition key. */
  private readonly held = new Map<string, Fence>();
  /** The latest status each other replica sent, by flow and replica. */
  private readonly elsewhere = new Map<string, Map<string, { status: FlowStatus; at: number }>>();
  private readonly partitions: number;
  private readonly unsubscribe: (() => void)[] = [];
  private timers: NodeJS.Timeout[] = [];
  private round: Promise<void> | null = null;
  private renewal: Promise<void> | null = null;
  private roundAgain = false;
  private lastRenewal = Date.now();
  /** Held partitions whose run stalled on the store: since when, and how often it was started again. */
  private readonly stalls = new Map<string, { since: number; restarts: number }>();
  private started = true;
  private stopped = false;

  private constructor(private readonly options: CoordinatorOptions) {
    this.cluster = options.store.cluster;
    this.subjects = subjectsOf(options.clusterName);
    this.log = options.log ?? (() => undefined);
    this.partitions = options.partitions ?? 8;
  }

  /** Joins the cluster: claims the name, subscribes, takes its first leases, then keeps at it until `leave`. */
  static async join(options: CoordinatorOptions): Promise<ClusterCoordinator> {
    const coordinator = new ClusterCoordinator(options);
    await options.store.cluster.claim({ mode: 'member', name: options.name });
    coordinator.listen();
    options.engine.placeWith(coordinator);
    await coordinator.reconcile();
    coordinator.announce({ kind: 'joined', by: options.name });
    coordinator.timers = [
      setInterval(() => void coordinator.reconcile(), Math.max(250, Math.floor(options.leaseMs / 3))),
      setInterval(
        () =>
          void coordinator.renew().catch((error: unknown) => {
            coordinator.log('leases could not be renewed; the next try is in a moment', { error: String(error) });
            return coordinator.fenceSelfIfOverdue();
          }),
        Math.max(200, Math.floor(options.leaseMs / 4)),
      ),
      setInterval(() => coordinator.sendStatus(), options.statusMs ?? 1000),
    ];
    for (const timer of coordinator.timers) timer.unref();
    return coordinator;
  }

  async deploymentChanged(flowId: string): Promise<void> {
    await this.reconcile();
    this.announce({ kind: 'changed', flowId, by: this.options.name });
  }

  statusElsewhere(flowId: string): FlowStatus | null {
    const fresh = this.replicasElsewhere().flatMap((r) => r.flows[flowId] ?? []);
    return fresh.length > 0 ? combinedStatus(fresh) : null;
  }

  /** What the other replicas reported within three status intervals: older reports are of runs that may have ended. */
  replicasElsewhere(): ReplicaStatus[] {
    const oldest = Date.now() - 3 * (this.options.statusMs ?? 1000);
    const byProcess = new Map<string, Record<string, FlowStatus>>();
    for (const [flowId, statuses] of this.elsewhere) {
      for (const [process, { status, at }] of statuses) {
        if (at < oldest) continue;
        let flows = byProcess.get(process);
        if (!flows) byProcess.set(process, (flows = {}));
        flows[flowId] = status;
      }
    }
    return [...byProcess].map(([process, flows]) => ({ process, flows }));
  }

  /** The cluster as this replica sees it (`GET /api/cluster`). */
  async describe(): Promise<ClusterAnswer> {
    const [members, leases] = await Promise.all([this.cluster.members(this.options.leaseMs), this.cluster.leases()]);
    return {
      cluster: this.options.clusterName,
      partitions: this.partitions,
      leaseMs: this.options.leaseMs,
      processes: members.map((m) => {
        const flows: Record<string, number[]> = {};
        for (const lease of leases) if (lease.held && lease.owner === m.name) (flows[lease.flowId] ??= []).push(lease.partition);
        return { name: m.name, alive: m.alive, lastSeen: m.lastSeen, flows };
      }),
    };
  }

  /** Stops the runs here, lets their leases go so others take them at once, and stops listening. */
  async leave(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.round?.catch(() => undefined);
    for (const fence of [...this.held.values()]) await this.letGo(fence);
    this.announce({ kind: 'left', by: this.options.name });
    for (const off of this.unsubscribe) off();
  }

  /** A round: heartbeat, renewals, then the plan carried out. Rounds never overlap. */
  reconcile(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.round) {
      this.roundAgain = true;
      return this.round;
    }
    this.round = (async () => {
      try {
        do {
          this.roundAgain = false;
          await this.runRound();
        } while (this.roundAgain && !this.stopped);
      } catch (error) {
        this.log('a cluster round failed; the next one tries again', { error: String(error) });
        await this.fenceSelfIfOverdue();
      } finally {
        this.round = null;
      }
    })();
    return this.round;
  }

  private async runRound(): Promise<void> {
    const { engine, name, leaseMs } = this.options;
    await this.renew();

    const [members, deployments] = await Promise.all([this.cluster.members(leaseMs), this.options.store.flows.deployments()]);
    const alive = aliveNames(members, name);
    const deployed = new Map(deployments.map((d) => [d.flowId, d.revision]));
    const partitions = deployments.flatMap((d) => Array.from({ length: this.partitions }, (_, partition) => ({ flowId: d.flowId, partition })));
    const plan = placementOf(partitions, alive);

    let released = false;
    for (const [key, fence] of [...this.held]) {
      const revision = deployed.get(fence.flowId);
      if (revision === undefined || plan.get(key) !== name) {
        await this.letGo(fence);
        released = true;
      } else if (engine.revisionHere(fence.flowId, this.specOf(fence)) !== revision) {
        await this.runFlow(fence, revision);
      } else {
        await this.restartIfStalled(key, fence, revision);
      }
    }
    for (const partition of partitions) {
      const key = partitionKey(partition);
      if (plan.get(key) !== name || this.held.has(key)) continue;
      const fence = await this.cluster.acquire(partition.flowId, partition.partition, name, leaseMs);
      if (!fence) continue; // its owner has not let go yet: a later round takes it
      this.held.set(key, fence);
      await this.runFlow(fence, deployed.get(partition.flowId)!);
    }
    if (released) this.announce({ kind: 'released', by: name });
  }

  /**
   * Heartbeat and renewals, on a timer of their own besides each round's: a round may wait on a drain for longer
   * than a lease lasts, and the leases it is not draining must not run out meanwhile. A lease that did not renew was
   * taken over: its run stops writing now.
   */
  private renew(): Promise<void> {
    return (this.renewal ??= this.renewNow().finally(() => (this.renewal = null)));
  }

  private async renewNow(): Promise<void> {
    const { engine, name, leaseMs } = this.options;
    // Only leases held before the renewal was asked can be found lost by it (a round may take one meanwhile).
    const before = new Map(this.held);
    await this.cluster.heartbeat(name, this.started);
    this.started = false;
    const renewed = new Set((await this.cluster.renew(name, leaseMs)).map(partitionKey));
    this.lastRenewal = Date.now();
    for (const [key, fence] of before) {
      if (renewed.has(key) || this.held.get(key) !== fence) continue;
      this.held.delete(key);
      this.log('a lease was lost; its run stops here', { flowId: fence.flowId, partition: fence.partition });
      void engine.stopHere(fence.flowId, this.specOf(fence)).catch((error: unknown) => this.log('a lost partition did not stop cleanly', { error: String(error) }));
    }
  }

  private async runFlow(fence: Fence, revision: number): Promise<void> {
    const { engine, store, name } = this.options;
    const flow = await store.flows.revision(fence.flowId, revision);
    if (!flow) return;
    const context = { store: fencedStore(store, fence), clocks: engine.clocks.forRun(name), partition: this.specOf(fence), process: name };
    const result = await engine.runHere(flow, context).catch((error: unknown) => ({ ok: false as const, thrown: String(error) }));
    if (result.ok) this.log('flow partition runs here', { flowId: fence.flowId, partition: fence.partition, revision, epoch: fence.epoch });
    else this.log('a leased flow could not start here', { flowId: fence.flowId, revision, error: 'thrown' in result ? result.thrown : 'does not compile' });
  }

  /**
   * A run that stalled on the store holds its inputs for good; alone, a restart of the process clears it. Here a round
   * does: the run starts again from its checkpoint and handles what it held. Not at once, and less often each time
   * (a lease time, then twice that, up to a minute): a store that is still failing would stall it again, and each
   * start after a stop without a drain counts as a crash, which makes the run go carefully and, in the end, set the
   * input it was on aside.
   */
  private async restartIfStalled(key: string, fence: Fence, revision: number): Promise<void> {
    const failed = this.options.engine.failedHere(fence.flowId, this.specOf(fence));
    if (failed === null) {
      this.stalls.delete(key);
      return;
    }
    const now = Date.now();
    const stall = this.stalls.get(key) ?? { since: now, restarts: 0 };
    this.stalls.set(key, stall);
    if (now - stall.since < Math.min(60_000, this.options.leaseMs * 2 ** stall.restarts)) return;
    this.log('a partition run stalled on the store; it starts again from its checkpoint', { flowId: fence.flowId, partition: fence.partition, error: failed });
    stall.restarts++;
    stall.since = now;
    await this.runFlow(fence, revision);
  }

  private specOf(fence: Fence): PartitionSpec {
    return { index: fence.partition, count: this.partitions };
  }

  private async letGo(fence: Fence): Promise<void> {
    this.held.delete(partitionKey(fence));
    await this.options.engine.stopHere(fence.flowId, this.specOf(fence));
    await this.cluster.release(fence).catch((error: unknown) => this.log('a lease could not be released; it expires instead', { flowId: fence.flowId, error: String(error) }));
  }

  /**
   * When renewals keep failing (the database is out of reach), the leases may run out and be taken: the runs here
   * stop before that can happen, at half the lease time.
   */
  private async fenceSelfIfOverdue(): Promise<void> {
    if (this.held.size === 0 || Date.now() - this.lastRenewal < this.options.leaseMs / 2) return;
    this.log('leases could not be renewed for half their time; the runs here stop', { flows: [...this.held.values()].map((f) => f.flowId) });
    for (const fence of [...this.held.values()]) {
      this.held.delete(partitionKey(fence));
      await this.options.engine.stopHere(fence.flowId, this.specOf(fence));
    }
  }

  private listen(): void {
    const { bus, engine, name } = this.options;
    this.unsubscribe.push(
      bus.subscribe(this.subjects.control, ControlMessageSchema, (message) => {
        if (message.by !== name) void this.reconcile();
      }),
      bus.subscribe(this.subjects.status, StatusMessageSchema, (status) => {
        if (status.process === name) return;
        for (const [flowId, flowStatus] of Object.entries(status.flows)) {
          let byProcess = this.elsewhere.get(flowId);
          if (!byProcess) this.elsewhere.set(flowId, (byProcess = new Map()));
          byProcess.set(status.process, { status: flowStatus, at: Date.now() });
        }
      }),
      bus.subscribe(this.subjects.debug, DebugRelaySchema, (debug) => {
        if (debug.process !== name) engine.debugElsewhere({ flowId: debug.flowId, nodeId: debug.nodeId, event: debug.event });
      }),
      engine.onDebugHere((m) => bus.publish(this.subjects.debug, { ...m, process: name })),
    );
  }

  private sendStatus(): void {
    const { engine, bus, name } = this.options;
    const flows: Record<string, FlowStatus> = {};
    for (const flowId of engine.running()) flows[flowId] = engine.localStatus(flowId);
    if (Object.keys(flows).length > 0) bus.publish(this.subjects.status, { process: name, flows } satisfies StatusMessage);
  }

  private announce(message: ControlMessage): void {
    this.options.bus.publish(this.subjects.control, message);
  }
}

/** The members the plan spreads flows over: the alive ones, and always this replica (it has just beaten). */
function aliveNames(members: Member[], self: string): string[] {
  const names = members.filter((m) => m.alive).map((m) => m.name);
  return names.includes(self) ? names : [...names, self];
}
