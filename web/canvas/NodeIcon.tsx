/**
 * An icon per node type, drawn inline as SVG in the current text colour: no icon font to download, nothing for the
 * content security policy to refuse. Each is one 16×16 outline path, cheap enough for a thousand cards; a type
 * without its own icon (one added later) gets its kind's.
 */
import { memo } from 'react';
import type { NodeKind } from '../../shared/nodes/index.js';

/** Outline paths (stroked, never filled) by node type. */
const PATHS: Record<string, string> = {
  http: 'M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13zM1.5 8h13M8 1.5c2.2 2.2 2.2 10.8 0 13M8 1.5c-2.2 2.2-2.2 10.8 0 13',
  mqtt: 'M8 9v5.5M5.6 6.6a3.4 3.4 0 0 1 4.8 0M3.4 4.4a6.5 6.5 0 0 1 9.2 0M8 7.6v.1',
  timer: 'M8 2.5a6 6 0 1 0 0 12a6 6 0 1 0 0-12zM8 5v3.5l2.5 1.5M6 1h4',
  simulator: 'M4 4h8v8H4zM6.5 1.5V4M9.5 1.5V4M6.5 12v2.5M9.5 12v2.5M1.5 6.5H4M1.5 9.5H4M12 6.5h2.5M12 9.5h2.5',
  filter: 'M1.5 2.5h13l-5 6v5l-3 1.5v-6.5z',
  transform: 'M2 5h11l-2.5-2.5M14 11H3l2.5 2.5',
  router: 'M1.5 8h4.5l3.5-4.5h5M6 8l3.5 4.5h5M6 8h8.5',
  batch: 'M1.5 5L8 2l6.5 3L8 8zM1.5 8.2L8 11.2l6.5-3M1.5 11.2L8 14.2l6.5-3',
  throttle: 'M2 12.5a6 6 0 1 1 12 0M8 11l3-4.5',
  dedupe: 'M2 2h8v8H2zM6 6h8v8H6z',
  function: 'M6 2C4 2 4 3.5 4 5S3 8 2 8c1 0 2 1.5 2 3s0 3 2 3M10 2c2 0 2 1.5 2 3s1 3 2 3c-1 0-2 1.5-2 3s0 3-2 3',
  actor: 'M8 2a2.7 2.7 0 1 0 0 5.4A2.7 2.7 0 1 0 8 2zM2.5 14.5c0-3.2 2.4-5.3 5.5-5.3s5.5 2.1 5.5 5.3',
  debug: 'M5 6.5a3 3 0 0 1 6 0V11a3 3 0 0 1-6 0zM8 6v8M5 8.5H2M11 8.5h3M5 11.5l-2.5 1.5M11 11.5l2.5 1.5M6 4.5L4.5 2.5M10 4.5l1.5-2',
  store: 'M2.5 4c0-1.1 2.5-2 5.5-2s5.5.9 5.5 2-2.5 2-5.5 2-5.5-.9-5.5-2zM2.5 4v8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2V4M2.5 8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2',
  'mqtt-publish': 'M8 14.5V6.5M5 9.5l3-3 3 3M3.4 4.4a6.5 6.5 0 0 1 9.2 0',
  'http-request': 'M2 14L13.5 2.5M7.5 2.5h6v6M2 8.5V14h5.5',
};

const BY_KIND: Record<NodeKind | 'unknown', string> = {
  source: PATHS.http!,
  processor: PATHS.transform!,
  handler: PATHS.function!,
  actor: PATHS.actor!,
  sink: PATHS.store!,
  unknown: 'M5.8 6a2.2 2.2 0 1 1 3 2c-.6.3-.8.8-.8 1.5M8 12v.5',
};

export const iconPath = (type: string, kind: NodeKind | 'unknown'): string => PATHS[type] ?? BY_KIND[kind];

function Icon({ type, kind }: { type: string; kind: NodeKind | 'unknown' }) {
  return (
    <svg className="node-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden data-icon={type}>
      <path d={iconPath(type, kind)} />
    </svg>
  );
}

export const NodeIcon = memo(Icon);
