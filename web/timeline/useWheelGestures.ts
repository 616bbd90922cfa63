/**
 * The diagram's wheel: a plain wheel scrolls the lanes (the browser's own scrolling of the lane area), Ctrl+wheel
 * and a trackpad pinch (which the browser sends as Ctrl+wheel) zoom around the pointer, Shift+wheel and a sideways
 * swipe pan. A native listener, not React's: only a non-passive one may stop the page from zooming.
 */
import { useEffect, useRef, type RefObject } from 'react';

export interface WheelActions {
  zoom(atClientX: number, factor: number): void;
  pan(dpx: number): void;
}

export function useWheelGestures(target: RefObject<HTMLElement | null>, actions: WheelActions): void {
  const current = useRef(actions);
  current.current = actions;
  useEffect(() => {
    const el = target.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const scale = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        current.current.zoom(e.clientX, Math.exp(-e.deltaY * scale * 0.004));
      } else if (e.shiftKey) {
        e.preventDefault();
        current.current.pan(-(e.deltaY || e.deltaX) * scale);
      } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        e.preventDefault();
        current.current.pan(-e.deltaX * scale);
      }
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [target]);
}
