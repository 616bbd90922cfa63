/** What both flow repositories agree on: how a draft becomes a saved revision, and the errors they raise. */
import { settingsOf, type Flow, type FlowDraft } from '../../shared/flow.js';
import { StoreError } from './types.js';

/**
 * A saved revision of a draft: id and revision are the store's, the rest a deep copy of the draft. Every store keeps
 * the revision as this JSON, so a flow-level setting (`partitionKey`) is kept exactly as it was sent, or not at all.
 */
export function toFlow(id: string, revision: number, draft: FlowDraft): Flow {
  const copy = JSON.parse(JSON.stringify({ nodes: draft.nodes ?? [], edges: draft.edges ?? [] })) as Pick<Flow, 'nodes' | 'edges'>;
  return { id, name: draft.name, description: draft.description ?? '', revision, ...settingsOf(draft), nodes: copy.nodes, edges: copy.edges };
}

export const flowExists = (id: string, revision: number) =>
  new StoreError('revision_conflict', `flow "${id}" already exists (revision ${revision})`, { flowId: id, actualRevision: revision });

export const staleRevision = (id: string, expectedRevision: number, actualRevision: number) =>
  new StoreError('revision_conflict', `flow "${id}" is at revision ${actualRevision}, not ${expectedRevision}`, {
    flowId: id,
    expectedRevision,
    actualRevision,
  });

export const flowNotFound = (id: string) => new StoreError('not_found', `flow "${id}" does not exist`, { flowId: id });

export const revisionNotFound = (id: string, revision: number) =>
  new StoreError('not_found', `flow "${id}" has no revision ${revision}`, { flowId: id, revision });
