/** A small line of recent rates. */
export function Sparkline({ values, width = 64, height = 16, label }: { values: number[]; width?: number; height?: number; label: string }) {
  if (values.length < 2) return <svg className="sparkline" width={width} height={height} role="img" aria-label={label} />;
  const max = Math.max(...values, 1);
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={width} height={height} role="img" aria-label={label}>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
