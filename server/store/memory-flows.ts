/** The flow repository of the memory store: revisions kept as copies, so callers cannot change history. */
import type { Flow, FlowDraft } from '../../shared/flow.js';
import { flowExists, flowNotFound, revisionNotFound, staleRevision, toFlow } from './flows.js';
import type { FlowRepository, FlowSummary, RevisionInfo } from './types.js';

interface Entry {
  revisions: { flow: Flow; info: RevisionInfo }[];
  deployed: number | null;
}

const copy = (flow: Flow): Flow => structuredClone(flow);

export class MemoryFlowRepository implements FlowRepository {
  private flows = new Map<string, Entry>();

  async create(draft: FlowDraft & { id: string }, author: string | null = null): Promise<Flow> {
    const existing = this.flows.get(draft.id);
    if (existing) throw flowExists(draft.id, existing.revisions.length);
    const flow = toFlow(draft.id, 1, draft);
    this.flows.set(draft.id, { revisions: [{ flow, info: info(1, author) }], deployed: null });
    return copy(flow);
  }

  async get(id: string): Promise<Flow | null> {
    const latest = this.flows.get(id)?.revisions.at(-1);
    return latest ? copy(latest.flow) : null;
  }

  async update(id: string, draft: FlowDraft, expectedRevision: number, author: string | null = null): Promise<Flow> {
    const entry = this.entry(id);
    const latest = entry.revisions.length;
    if (expectedRevision !== latest) throw staleRevision(id, expectedRevision, latest);
    const flow = toFlow(id, latest + 1, draft);
    entry.revisions.push({ flow, info: info(latest + 1, author) });
    return copy(flow);
  }

  async delete(id: string): Promise<boolean> {
    return this.flows.delete(id);
  }

  async list(): Promise<FlowSummary[]> {
    return [...this.flows].map(([id, entry]) => {
      const latest = entry.revisions.at(-1)!.flow;
      return {
        id,
        name: latest.name,
        revision: latest.revision,
        deployedRevision: entry.deployed,
        status: entry.deployed === null ? 'stopped' : 'running',
      };
    });
  }

  async revisions(id: string): Promise<RevisionInfo[]> {
    return (this.flows.get(id)?.revisions ?? []).map((r) => ({ ...r.info }));
  }

  async revision(id: string, revision: number): Promise<Flow | null> {
    const found = this.flows.get(id)?.revisions[revision - 1];
    return found ? copy(found.flow) : null;
  }

  async setDeployment(id: string, revision: number | null): Promise<void> {
    const entry = this.entry(id);
    if (revision !== null && entry.revisions[revision - 1] === undefined) throw revisionNotFound(id, revision);
    entry.deployed = revision;
  }

  async deployments(): Promise<{ flowId: string; revision: number }[]> {
    return [...this.flows]
      .filter(([, entry]) => entry.deployed !== null)
      .map(([flowId, entry]) => ({ flowId, revision: entry.deployed! }));
  }

  private entry(id: string): Entry {
    const entry = this.flows.get(id);
    if (!entry) throw flowNotFound(id);
    return entry;
  }
}

const info = (revision: number, author: string | null): RevisionInfo => ({
  revision,
  createdAt: new Date().toISOString(),
  author,
});
