/**
 * The Test panel's state shared with the editor: whether the panel is open, its input rows, the last result and
 * the node whose inputs and outputs it shows. The editor reads the result's counts onto the node cards.
 */
import { useMemo } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { FlowTestResult, TestNodeResult } from '../../shared/api/flow-tests.js';
import type { NodeCounters } from '../../shared/api/flows.js';
import { EXAMPLE_EVENT, type InputRow } from './inputs.js';

export interface TestPanelState {
  open: boolean;
  rows: InputRow[];
  result: FlowTestResult | null;
  /** The node the details show; null: the one selected on the canvas, if any. */
  chosen: string | null;
  setOpen(open: boolean): void;
  setRows(rows: InputRow[]): void;
  setResult(result: FlowTestResult | null): void;
  choose(nodeId: string | null): void;
  /** Back to an empty panel (another flow opened). */
  reset(): void;
}

const initialRows = (): InputRow[] => [{ kind: 'json', source: '', text: EXAMPLE_EVENT }];

export const testPanelStore = createStore<TestPanelState>()((set) => ({
  open: false,
  rows: initialRows(),
  result: null,
  chosen: null,
  setOpen: (open) => set({ open }),
  setRows: (rows) => set({ rows }),
  setResult: (result) => set({ result }),
  choose: (chosen) => set({ chosen }),
  reset: () => set({ open: false, rows: initialRows(), result: null, chosen: null }),
}));

export const useTestPanel = <T>(select: (s: TestPanelState) => T): T => useStore(testPanelStore, select);

/** A node's test counts in the shape of live counters, so the node cards show them as they show live ones. */
export const countersOf = (node: TestNodeResult): NodeCounters => ({ in: node.counts.received, out: node.counts.emitted, errors: node.counts.errors, queued: 0 });

/** The counts of the last test by node, while the panel is open and has a result; else null. */
export function useTestCounters(): Record<string, NodeCounters> | null {
  const open = useTestPanel((s) => s.open);
  const result = useTestPanel((s) => s.result);
  return useMemo(() => (open && result ? Object.fromEntries(Object.entries(result.nodes).map(([id, node]) => [id, countersOf(node)])) : null), [open, result]);
}
