/** The browser's local database (IndexedDB through Dexie): one unsaved draft per flow. */
import Dexie, { type EntityTable } from 'dexie';
import type { FlowEdge, FlowNode } from '../../shared/flow.js';

export interface Draft {
  flowId: string;
  /** The server revision the draft was edited from. */
  baseRevision: number;
  name: string;
  description: string;
  /** Absent in drafts kept before flows had one, as in flows without one. */
  partitionKey?: string;
  nodes: FlowNode[];
  edges: FlowEdge[];
  savedAt: string;
}

export class DraftDatabase extends Dexie {
  drafts!: EntityTable<Draft, 'flowId'>;

  constructor(name = 'causeway') {
    super(name);
    this.version(1).stores({ drafts: 'flowId, savedAt' });
  }
}
