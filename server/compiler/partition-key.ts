/**
 * The flow's partition key (`partitionKey`): a JSONata expression over the event that starts a chain, which decides
 * the chain's partition when a cluster splits the flow (runtime/partitions.ts). Checked as an actor's key is — text
 * that is there, then JSONata that parses — with every problem on the flow's path `partitionKey`.
 *
 * An actor keeps one state per key in each partition. Partitioned by anything but the actor's own key, one actor key
 * may be reached from several partitions and then has a state in each: the compiler warns on every actor whose key
 * is not the partition key (the same text, spaces around it aside). A flow without a partition key is partitioned by
 * its first actor's key, so it needs no such warning.
 */
import { jsonataSyntaxError } from '../../shared/jsonata-syntax.js';
import { quote, type Report } from './errors.js';
import type { CheckedNode } from './nodes.js';

export const PARTITION_KEY_PATH = 'partitionKey';

export function checkPartitionKey(source: string | null, nodes: readonly CheckedNode[], report: Report): void {
  if (source === null) return;
  const at = { nodeId: null, path: PARTITION_KEY_PATH };
  if (source.trim() === '') {
    report.error('invalid_flow', {
      ...at,
      message: `${PARTITION_KEY_PATH}: an expression is required (leave it out to partition by the first actor's key, else the event's process)`,
    });
    return;
  }
  const syntax = jsonataSyntaxError(source);
  if (syntax !== null) report.error('jsonata_syntax', { ...at, message: `${PARTITION_KEY_PATH}: ${syntax.message}`, at: syntax.at });
  for (const { node, config } of nodes) {
    const key = node.type === 'actor' ? config?.key : undefined;
    if (typeof key !== 'string' || key.trim() === source.trim()) continue;
    report.warning('actor_key_spans_partitions', {
      nodeId: node.id,
      path: 'config.key',
      message: `actor ${quote(node.id)} keys by ${quote(key)}, not by the flow's ${PARTITION_KEY_PATH} ${quote(source.trim())}: in a cluster one actor key may span partitions, with a state in each (set ${PARTITION_KEY_PATH} to the actor's key, or leave it out)`,
    });
  }
}
