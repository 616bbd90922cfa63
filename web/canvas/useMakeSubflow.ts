/**
 * "Make subflow" in the editor: the selected nodes are saved as a new subflow (a flow `sf-…`, revision 1) and an
 * instance of it takes their place in this flow, as one undoable edit that the next save keeps.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { SUBFLOW_PREFIX } from '../../shared/nodes/index.js';
import { describeError } from '../api/client.js';
import { createFlowWithId } from '../api/flows.js';
import { keys } from '../api/hooks.js';
import { extractSubflow } from './make-subflow.js';
import { editorStore } from './store.js';

const NAME_CHARS = 80;

export function useMakeSubflow(say: (text: string) => void): () => Promise<void> {
  const client = useQueryClient();
  return useCallback(async () => {
    const s = editorStore.getState();
    const chosen = s.nodes.filter((n) => s.selectedNodes.includes(n.id));
    if (chosen.length === 0) return say('Select the nodes to make a subflow of first.');
    const id = `${SUBFLOW_PREFIX}${crypto.randomUUID().slice(0, 8)}`;
    const name = `Subflow: ${chosen.map((n) => n.name || n.id).join(' + ')}`.slice(0, NAME_CHARS);
    const extraction = extractSubflow(s.nodes, s.edges, s.selectedNodes, id, name);
    if (!extraction) return;
    try {
      await createFlowWithId({ id, name, description: `Made from ${s.name || 'a flow'}.`, nodes: extraction.subflow.nodes, edges: extraction.subflow.edges });
    } catch (error) {
      return say(`Could not make the subflow: ${describeError(error)}`);
    }
    void client.invalidateQueries({ queryKey: keys.flows });
    editorStore.getState().replaceGraph(extraction.nodes, extraction.edges, [extraction.instance.id]);
    say(`Made ${name} (${id}); save to keep this flow using it.`);
  }, [client, say]);
}
