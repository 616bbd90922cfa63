/**
 * The replicas of a cluster on the flows page: each replica, whether it is alive (a dead one is shown as such until
 * it is forgotten), when it was last seen, and the flows whose partitions it runs. A process alone shows nothing.
 */
import type { ClusterAnswer } from '../../shared/api/cluster.js';

export interface ClusterPanelProps {
  cluster: ClusterAnswer;
  /** Flow names by id, to name what each replica runs. */
  flowNames: ReadonlyMap<string, string>;
  now?: number;
}

const ago = (iso: string, now: number): string => {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
};

export function ClusterPanel({ cluster, flowNames, now = Date.now() }: ClusterPanelProps) {
  if (cluster.cluster === null) return null;
  return (
    <section className="cluster-panel" aria-labelledby="cluster-title">
      <h2 id="cluster-title">
        Cluster <code>{cluster.cluster}</code> · {cluster.processes.filter((p) => p.alive).length} of {cluster.processes.length} replicas alive · {cluster.partitions}{' '}
        partitions per flow
      </h2>
      <table className="cluster-table">
        <thead>
          <tr>
            <th scope="col">Replica</th>
            <th scope="col">State</th>
            <th scope="col">Last seen</th>
            <th scope="col">Runs</th>
          </tr>
        </thead>
        <tbody>
          {cluster.processes.map((p) => (
            <tr key={p.name} className={p.alive ? undefined : 'dead'}>
              <th scope="row">{p.name}</th>
              <td>
                <span className={`state-dot ${p.alive ? 'running' : 'failed'}`} aria-hidden /> {p.alive ? 'alive' : 'not seen within the lease: dead'}
              </td>
              <td>{ago(p.lastSeen, now)}</td>
              <td>
                {Object.keys(p.flows).length === 0
                  ? '—'
                  : Object.entries(p.flows)
                      .map(([flowId, parts]) => `${flowNames.get(flowId) ?? flowId} (${parts.length === cluster.partitions ? 'all partitions' : `partition${parts.length > 1 ? 's' : ''} ${parts.join(', ')}`})`)
                      .join('; ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
