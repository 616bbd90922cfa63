import { describe, expect, it } from 'vitest';
import { StoreError } from '../store/index.js';
import { failureOf, refusesOneInput } from './failures.js';
import { NodeFailure } from './node.js';

describe('what an error means for its input', () => {
  it("keeps a node failure's code, message and details", () => {
    expect(failureOf(new NodeFailure('timeout', 'ran too long', { ms: 50 }))).toEqual({ code: 'timeout', message: 'ran too long', details: { ms: 50 } });
  });

  it("keeps a store refusal's code", () => {
    expect(failureOf(new StoreError('invalid_event', 'data holds a NUL'))).toEqual({ code: 'invalid_event', message: 'data holds a NUL', details: {} });
  });

  it('names anything else node_error, with its message or its text', () => {
    expect(failureOf(new TypeError('x is undefined'))).toEqual({ code: 'node_error', message: 'x is undefined' });
    expect(failureOf('plain')).toEqual({ code: 'node_error', message: 'plain' });
  });

  it("tells refusals of one input's events from failures of the store", () => {
    expect(refusesOneInput(new StoreError('version_conflict', 'expected 3'))).toBe(true);
    expect(refusesOneInput(new StoreError('invalid_event', 'too large'))).toBe(true);
    expect(refusesOneInput(new StoreError('storage_full', 'disk full'))).toBe(false);
    expect(refusesOneInput(new Error('connection reset'))).toBe(false);
  });
});
