/** Page sizes the store accepts: a default when absent, never below 0 or above the maximum. */
export const READ_LIMIT = { default: 1000, max: 10_000 } as const;
export const CAUSALITY_LIMIT = { default: 100, max: 10_000 } as const;
export const BATCH_SIZE = { default: 500, max: 10_000 } as const;

export function clampLimit(value: number | undefined, bounds: { default: number; max: number }): number {
  if (value === undefined || !Number.isFinite(value)) return bounds.default;
  return Math.min(bounds.max, Math.max(0, Math.floor(value)));
}
