/**
 * What the inspector shows of the selected event beyond the diagram's compact records, read from the server within
 * the execution shown: the full event and its causal cone over the whole execution (one answer), and its correlation
 * chain. A selection that changes before an answer arrives drops that answer.
 */
import { useEffect, useState } from 'react';
import type { Causality } from '../../shared/api/events.js';
import type { StoredEvent } from '../../shared/event.js';
import type { TimelineRecord } from '../../shared/timeline-page.js';
import { getCausality, loadChain, type ExecutionScope } from './api.js';
import type { Loadable } from './Inspector.js';

export interface SelectionDetails {
  causality: Loadable<Causality>;
  full: Loadable<StoredEvent>;
  chain: Loadable<{ records: TimelineRecord[]; complete: boolean }>;
  /** The selected event's correlation id: from the diagram's record, else from the full event once read. */
  correlationId: string | undefined;
}

export function useSelectionDetails(selectedId: string | null, record: TimelineRecord | null, execution: ExecutionScope): SelectionDetails {
  const [causality, setCausality] = useState<Loadable<Causality>>(null);
  const [full, setFull] = useState<Loadable<StoredEvent>>(null);
  const [chain, setChain] = useState<SelectionDetails['chain']>(null);
  const correlationId = record?.correlationId ?? (full !== 'loading' ? full?.correlationId : undefined);

  useEffect(() => {
    if (!selectedId) {
      setCausality(null);
      setFull(null);
      return;
    }
    let current = true;
    setCausality('loading');
    setFull('loading');
    getCausality(selectedId, execution)
      .then((answer) => {
        if (!current) return;
        setFull(answer.event);
        setCausality(answer);
      })
      .catch(() => {
        if (!current) return;
        setFull(null);
        setCausality(null);
      });
    return () => {
      current = false;
    };
  }, [selectedId, execution]);

  useEffect(() => {
    if (!correlationId) {
      setChain(null);
      return;
    }
    let current = true;
    setChain('loading');
    loadChain(correlationId, execution)
      .then((answer) => current && setChain(answer))
      .catch(() => current && setChain(null));
    return () => {
      current = false;
    };
  }, [correlationId, execution]);

  return { causality, full, chain, correlationId };
}
