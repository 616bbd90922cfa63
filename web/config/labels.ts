/** A config key as a form label: `intervalMs` → "Interval (ms)", `deviceField` → "Device field". */
export function fieldLabel(key: string): string {
  const ms = /Ms$/.test(key);
  const mb = /Mb$/.test(key);
  const base = key.replace(/(Ms|Mb)$/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  const sentence = base.charAt(0).toUpperCase() + base.slice(1);
  return ms ? `${sentence} (ms)` : mb ? `${sentence} (MB)` : sentence;
}
