/** The editor's keyboard shortcuts: one table for the key handler and the help overlay. */
export type EditorAction = 'undo' | 'redo' | 'copy' | 'cut' | 'paste' | 'delete' | 'selectAll' | 'save' | 'layout' | 'fit' | 'overview' | 'help' | 'escape';

export interface Shortcut {
  action: EditorAction;
  keys: string;
  description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'undo', keys: 'Ctrl+Z', description: 'Undo' },
  { action: 'redo', keys: 'Ctrl+Shift+Z or Ctrl+Y', description: 'Redo' },
  { action: 'copy', keys: 'Ctrl+C', description: 'Copy the selected nodes' },
  { action: 'cut', keys: 'Ctrl+X', description: 'Cut the selected nodes' },
  { action: 'paste', keys: 'Ctrl+V', description: 'Paste nodes (from this or another flow)' },
  { action: 'delete', keys: 'Delete or Backspace', description: 'Delete the selection' },
  { action: 'selectAll', keys: 'Ctrl+A', description: 'Select everything' },
  { action: 'save', keys: 'Ctrl+S', description: 'Save a revision (also while typing in a field)' },
  { action: 'layout', keys: 'Shift+L', description: 'Arrange the nodes automatically' },
  { action: 'fit', keys: 'Shift+F', description: 'Fit the flow in view (a flow too large to read whole: its start)' },
  { action: 'overview', keys: 'Shift+O', description: 'Zoom out to the whole flow, however small' },
  { action: 'help', keys: '?', description: 'Show or hide these shortcuts' },
  { action: 'escape', keys: 'Escape', description: 'Clear the selection, close this help; with neither, back from a subflow opened in place' },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function actionFor(e: KeyLike): EditorAction | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.altKey) return null;
  if (mod) {
    if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    if (key === 'c') return 'copy';
    if (key === 'x') return 'cut';
    if (key === 'v') return 'paste';
    if (key === 'a') return 'selectAll';
    if (key === 's') return 'save';
    return null;
  }
  if (key === 'Delete' || key === 'Backspace') return 'delete';
  if (key === '?') return 'help';
  if (key === 'Escape') return 'escape';
  if (e.shiftKey && key === 'l') return 'layout';
  if (e.shiftKey && key === 'f') return 'fit';
  if (e.shiftKey && key === 'o') return 'overview';
  return null;
}

/** Whether an action also runs while typing in a field: saving does, every other key belongs to the field. */
export const worksInFields = (action: EditorAction): boolean => action === 'save';

/** Keys typed into a field belong to the field. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  // A key typed in a shadow root (the code editor's) reaches the page with its host as target.
  const inner = el.shadowRoot?.activeElement;
  if (inner) return isTypingTarget(inner);
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}
