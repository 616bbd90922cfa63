/**
 * Where each flow partition should run: a plan computed from the partitions and the alive members only, so every
 * replica that sees the same membership computes the same plan without talking to the others. Rendezvous hashing
 * with bounded load: each partition goes to the member that ranks it highest among those not yet full, a member
 * holding at most ⌈partitions / members⌉. A member that leaves moves what it held, and the bound pushes a few others
 * along (in a small cluster, a partition or two); one that joins takes about its share.
 */
import { hashOf } from '../runtime/partitions.js';

export interface PartitionRef {
  flowId: string;
  partition: number;
}

export const partitionKey = (p: PartitionRef): string => `${p.flowId}#${p.partition}`;

/** The plan: partition key → member. Empty when no member is alive. */
export function placementOf(partitions: readonly PartitionRef[], members: readonly string[]): Map<string, string> {
  const plan = new Map<string, string>();
  const alive = [...new Set(members)].sort();
  if (alive.length === 0) return plan;
  const capacity = Math.ceil(partitions.length / alive.length);
  const load = new Map(alive.map((m) => [m, 0]));
  // Partitions in a fixed order, so the bound fills up the same way on every replica.
  const keys = [...new Set(partitions.map(partitionKey))].sort();
  for (const key of keys) {
    const ranked = alive.map((member) => ({ member, weight: weightOf(key, member) })).sort((a, b) => b.weight - a.weight || (a.member < b.member ? -1 : 1));
    const chosen = ranked.find((r) => (load.get(r.member) ?? 0) < capacity)!;
    plan.set(key, chosen.member);
    load.set(chosen.member, (load.get(chosen.member) ?? 0) + 1);
  }
  return plan;
}

/** A well-mixed 32-bit weight of a (partition, member) pair: FNV-1a, then a murmur3 finaliser. */
function weightOf(key: string, member: string): number {
  let h = hashOf(`${key}\u0000${member}`);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
