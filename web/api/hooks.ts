/** React Query hooks over the flow routes: the server's data, cached and refetched after every change. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Flow, FlowDraft } from '../../shared/flow.js';
import * as flows from './flows.js';

export const keys = {
  flows: ['flows'] as const,
  flow: (id: string) => ['flow', id] as const,
  revisions: (id: string) => ['flow', id, 'revisions'] as const,
  revision: (id: string, revision: number) => ['flow', id, 'revision', revision] as const,
  status: (id: string) => ['flow', id, 'status'] as const,
  cluster: ['cluster'] as const,
};

export const useFlows = () => useQuery({ queryKey: keys.flows, queryFn: flows.listFlows });

export const useFlow = (id: string) => useQuery({ queryKey: keys.flow(id), queryFn: () => flows.getFlow(id), staleTime: Infinity });

export const useRevisions = (id: string) => useQuery({ queryKey: keys.revisions(id), queryFn: () => flows.listRevisions(id) });

export const useRevision = (id: string, revision: number | null) =>
  useQuery({
    queryKey: keys.revision(id, revision ?? 0),
    queryFn: () => flows.getRevision(id, revision ?? 0),
    enabled: revision !== null,
    staleTime: Infinity,
  });

/** The replicas and what each runs, every 5 s. */
export const useCluster = () => useQuery({ queryKey: keys.cluster, queryFn: flows.getCluster, refetchInterval: 5000 });

export const useStatus = (id: string) => useQuery({ queryKey: keys.status(id), queryFn: () => flows.getStatus(id), refetchInterval: 5000 });

/** Invalidates everything the server knows about one flow, and the list. */
export function useRefreshFlow() {
  const client = useQueryClient();
  return (id: string) => {
    void client.invalidateQueries({ queryKey: keys.flows });
    void client.invalidateQueries({ queryKey: ['flow', id] });
  };
}

export function useCreateFlow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (draft: FlowDraft) => flows.createFlow(draft),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.flows }),
  });
}

export function useDeleteFlow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => flows.deleteFlow(id),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.flows }),
  });
}

export function useRenameFlow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, name }: { id: string; name: string }): Promise<Flow> => {
      const current = await flows.getFlow(id);
      return flows.saveFlow(id, { ...current, name }, current.revision);
    },
    onSuccess: (flow) => {
      client.setQueryData(keys.flow(flow.id), flow);
      return client.invalidateQueries({ queryKey: keys.flows });
    },
  });
}
