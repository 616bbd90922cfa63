// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { actionFor, isTypingTarget, SHORTCUTS, worksInFields, type KeyLike } from './shortcuts.js';

const press = (key: string, mods: Partial<Omit<KeyLike, 'key'>> = {}): KeyLike => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

/** A key combination as the help overlay writes it ("Ctrl+Shift+Z"), as a browser would report it. */
function combo(text: string): KeyLike {
  const parts = text.split('+');
  const key = parts.pop()!;
  const shiftKey = parts.includes('Shift');
  return press(shiftKey && key.length === 1 ? key.toUpperCase() : key, { ctrlKey: parts.includes('Ctrl'), shiftKey });
}

describe('mapping keys to editor actions', () => {
  it('performs every action with each key combination the help lists for it', () => {
    for (const shortcut of SHORTCUTS) {
      for (const alternative of shortcut.keys.split(' or ')) {
        expect(actionFor(combo(alternative)), `${alternative} for ${shortcut.action}`).toBe(shortcut.action);
      }
    }
  });

  it('lists each action exactly once in the help', () => {
    const actions = SHORTCUTS.map((s) => s.action);
    expect(new Set(actions).size).toBe(actions.length);
  });

  it('treats Cmd like Ctrl', () => {
    expect(actionFor(press('z', { metaKey: true }))).toBe('undo');
    expect(actionFor(press('z', { metaKey: true, shiftKey: true }))).toBe('redo');
    expect(actionFor(press('s', { metaKey: true }))).toBe('save');
  });

  it('ignores the case of letter keys, as with Caps Lock on', () => {
    expect(actionFor(press('C', { ctrlKey: true }))).toBe('copy');
    expect(actionFor(press('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(actionFor(press('L', { shiftKey: true }))).toBe('layout');
  });

  it('leaves combinations with Alt alone', () => {
    expect(actionFor(press('z', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(actionFor(press('Delete', { altKey: true }))).toBeNull();
    expect(actionFor(press('L', { shiftKey: true, altKey: true }))).toBeNull();
  });

  it('leaves plain letters to typing', () => {
    expect(actionFor(press('l'))).toBeNull();
    expect(actionFor(press('f'))).toBeNull();
    expect(actionFor(press('z'))).toBeNull();
    expect(actionFor(press('s'))).toBeNull();
  });

  it('leaves unknown Ctrl combinations to the browser', () => {
    expect(actionFor(press('p', { ctrlKey: true }))).toBeNull();
    expect(actionFor(press('l', { ctrlKey: true, shiftKey: true }))).toBeNull();
  });

  it('opens the help with ? as typed with Shift on most layouts', () => {
    expect(actionFor(press('?', { shiftKey: true }))).toBe('help');
  });

  it('deletes with either Delete or Backspace', () => {
    expect(actionFor(press('Delete'))).toBe('delete');
    expect(actionFor(press('Backspace'))).toBe('delete');
  });

  it('does not read named keys as letters', () => {
    expect(actionFor(press('Shift', { shiftKey: true }))).toBeNull();
    expect(actionFor(press('Control', { ctrlKey: true }))).toBeNull();
    expect(actionFor(press('F5'))).toBeNull();
  });
});

describe('recognising where keys are being typed', () => {
  it('counts text inputs, text areas and selects as typing targets', () => {
    for (const tag of ['input', 'textarea', 'select']) {
      expect(isTypingTarget(document.createElement(tag)), tag).toBe(true);
    }
  });

  it('counts a host whose shadow root has editable content focused as a typing target (the code editor)', () => {
    const host = document.createElement('div');
    document.body.append(host);
    const editor = document.createElement('div');
    editor.setAttribute('contenteditable', 'true');
    editor.tabIndex = 0;
    host.attachShadow({ mode: 'open' }).append(editor);
    expect(isTypingTarget(host)).toBe(false);
    editor.focus();
    expect(isTypingTarget(host)).toBe(true);
    host.remove();
  });

  it('counts editable content as a typing target', () => {
    const editor = document.createElement('div');
    editor.setAttribute('contenteditable', 'true');
    document.body.append(editor);
    expect(isTypingTarget(editor)).toBe(true);
    editor.remove();
  });

  it('does not count the canvas, plain elements, the window or nothing', () => {
    expect(isTypingTarget(document.createElement('div'))).toBe(false);
    expect(isTypingTarget(document.createElement('button'))).toBe(false);
    expect(isTypingTarget(window)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it('lets saving through from inside a field, and keeps every other key for the field', () => {
    expect(SHORTCUTS.filter((s) => worksInFields(s.action)).map((s) => s.action)).toEqual(['save']);
  });
});
