// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterAnswer } from '../../shared/api/cluster.js';
import { ClusterPanel } from './ClusterPanel.js';

afterEach(cleanup);

const now = Date.parse('2026-12-07T12:00:30Z');
const cluster: ClusterAnswer = {
  cluster: 'causeway-0a1b2c3d4e',
  partitions: 8,
  leaseMs: 10_000,
  processes: [
    { name: 'r1', alive: true, lastSeen: '2026-12-07T12:00:28Z', flows: { f1: [0, 3, 5], f2: [0, 1, 2, 3, 4, 5, 6, 7] } },
    { name: 'r2', alive: false, lastSeen: '2026-12-07T11:58:30Z', flows: {} },
  ],
};

describe('the cluster panel', () => {
  it('lists each replica, alive or dead, when it was seen, and the partitions of the flows it runs, by flow name', () => {
    render(<ClusterPanel cluster={cluster} flowNames={new Map([['f1', 'Cold chain']])} now={now} />);
    expect(screen.getByRole('heading').textContent).toBe('Cluster causeway-0a1b2c3d4e · 1 of 2 replicas alive · 8 partitions per flow');
    const r1 = within(screen.getByRole('row', { name: /^r1/ }));
    expect(r1.getByText(/alive/)).toBeTruthy();
    expect(r1.getByText('2 s ago')).toBeTruthy();
    expect(r1.getByText('Cold chain (partitions 0, 3, 5); f2 (all partitions)')).toBeTruthy();
    const r2 = within(screen.getByRole('row', { name: /^r2/ }));
    expect(r2.getByText(/dead/)).toBeTruthy();
    expect(r2.getByText('2 min ago')).toBeTruthy();
    expect(r2.getByText('—')).toBeTruthy();
  });

  it('shows nothing for a process alone', () => {
    const { container } = render(<ClusterPanel cluster={{ ...cluster, cluster: null }} flowNames={new Map()} now={now} />);
    expect(container.innerHTML).toBe('');
  });
});
