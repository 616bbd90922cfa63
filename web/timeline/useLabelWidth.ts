/**
 * The width of the diagram's lane labels, as the user dragged it: kept in the browser's local storage, so every
 * timeline opens with the labels as wide as they were left, and bounded so neither the labels nor the plot vanish.
 */
import { useCallback, useState } from 'react';
import { LABEL_WIDTH, LABEL_WIDTH_RANGE } from './viewport.js';

const KEY = 'causeway.timeline.labelWidth';

export const boundedLabelWidth = (width: number): number => Math.round(Math.max(LABEL_WIDTH_RANGE.min, Math.min(LABEL_WIDTH_RANGE.max, width)));

function stored(): number {
  try {
    const value = Number(localStorage.getItem(KEY));
    return Number.isFinite(value) && value > 0 ? boundedLabelWidth(value) : LABEL_WIDTH;
  } catch {
    // Storage refused (a private window, a policy): the default.
    return LABEL_WIDTH;
  }
}

export function useLabelWidth(): [number, (width: number) => void] {
  const [width, setWidth] = useState(stored);
  const set = useCallback((next: number) => {
    const bounded = boundedLabelWidth(next);
    setWidth(bounded);
    try {
      localStorage.setItem(KEY, String(bounded));
    } catch {
      // Not kept past this page: the width still applies here.
    }
  }, []);
  return [width, set];
}
