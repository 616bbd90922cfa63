/**
 * `GET /api/cluster`: the replicas that share this server's database, whether each is alive, and which flow
 * partitions each runs. A process alone answers with itself and no cluster name.
 */
import { z } from 'zod';
import { noQuerySchema } from './query.js';
import { jsonContent, route } from './route.js';

export const ClusterProcessSchema = z
  .object({
    name: z.string().meta({ description: 'The replica’s process name (`CAUSEWAY_PROCESS`).' }),
    alive: z.boolean().meta({ description: 'Seen within the lease time.' }),
    lastSeen: z.string().meta({ description: 'Its last heartbeat (ISO 8601).' }),
    flows: z.record(z.string(), z.array(z.number().int().nonnegative())).meta({ description: 'Flow id → the partitions it holds leases on.' }),
  })
  .meta({ id: 'ClusterProcess' });

export const ClusterSchema = z
  .object({
    cluster: z.string().nullable().meta({ description: 'The cluster’s name (NATS subjects are named after it); null for a process alone.' }),
    partitions: z.number().int().positive().meta({ description: 'Partitions of each deployed flow.' }),
    leaseMs: z.number().int().positive().meta({ description: 'How long a lease lasts without renewal.' }),
    processes: z.array(ClusterProcessSchema),
  })
  .meta({ id: 'Cluster' });
export type ClusterAnswer = z.infer<typeof ClusterSchema>;

export const clusterContract = {
  cluster: route({
    method: 'get',
    path: '/api/cluster',
    tag: 'server',
    summary: 'The replicas sharing this database, whether each is alive, and the flow partitions each runs',
    role: 'viewer',
    query: noQuerySchema,
    answer: { status: 200, description: 'The cluster as this replica sees it.', content: jsonContent(ClusterSchema) },
  }),
};
