// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, renderHook, screen } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Link, navigate, useLocation } from './router.js';

beforeEach(() => {
  window.history.replaceState(null, '', '/');
});

afterEach(cleanup);

describe('navigating through history', () => {
  it('pushes a new history entry for the target', () => {
    const before = window.history.length;
    navigate('/timeline');
    expect(window.location.pathname).toBe('/timeline');
    expect(window.history.length).toBe(before + 1);
  });

  it('replaces the current entry when asked to', () => {
    const before = window.history.length;
    navigate('/flows/f-1', { replace: true });
    expect(window.location.pathname).toBe('/flows/f-1');
    expect(window.history.length).toBe(before);
  });

  it('adds no entry when the target is where we already are', () => {
    navigate('/timeline?type=alert.*');
    const before = window.history.length;
    navigate('/timeline?type=alert.*');
    expect(window.history.length).toBe(before);
  });
});

describe('reading the current location', () => {
  it('gives the path and the query parameters', () => {
    navigate('/timeline?type=alert.*&flowId=f1');
    const { result } = renderHook(() => useLocation());
    expect(result.current.pathname).toBe('/timeline');
    expect(result.current.search.get('type')).toBe('alert.*');
    expect(result.current.search.get('flowId')).toBe('f1');
  });

  it('follows navigation', () => {
    const { result } = renderHook(() => useLocation());
    expect(result.current.pathname).toBe('/');
    act(() => navigate('/replays/r-1'));
    expect(result.current.pathname).toBe('/replays/r-1');
  });

  it('follows the back button', () => {
    const { result } = renderHook(() => useLocation());
    act(() => navigate('/timeline'));
    act(() => {
      window.history.replaceState(null, '', '/flows/f-2');
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    expect(result.current.pathname).toBe('/flows/f-2');
  });
});

describe('following a link', () => {
  it('navigates in place on a plain click', () => {
    render(createElement(Link, { to: '/timeline' }, 'Timeline'));
    const link = screen.getByRole('link', { name: 'Timeline' });
    expect(link.getAttribute('href')).toBe('/timeline');
    const notCancelled = fireEvent.click(link, { button: 0 });
    expect(notCancelled).toBe(false);
    expect(window.location.pathname).toBe('/timeline');
  });

  it('leaves clicks with a modifier key to the browser', () => {
    render(createElement(Link, { to: '/timeline' }, 'Timeline'));
    const link = screen.getByRole('link', { name: 'Timeline' });
    for (const modifier of ['ctrlKey', 'metaKey', 'shiftKey', 'altKey'] as const) {
      // Not cancelled: the browser's own handling (new tab, window, download) goes ahead.
      expect(fireEvent.click(link, { button: 0, [modifier]: true })).toBe(true);
    }
  });

  it('leaves clicks with other buttons to the browser', () => {
    render(createElement(Link, { to: '/timeline' }, 'Timeline'));
    expect(fireEvent.click(screen.getByRole('link', { name: 'Timeline' }), { button: 1 })).toBe(true);
  });

  it('stays put when its own click handler cancels the click', () => {
    render(createElement(Link, { to: '/timeline', onClick: (e) => e.preventDefault() }, 'Timeline'));
    fireEvent.click(screen.getByRole('link', { name: 'Timeline' }), { button: 0 });
    expect(window.location.pathname).toBe('/');
  });
});
