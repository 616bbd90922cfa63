import { describe, expect, it } from 'vitest';
import { overflowFrame, sseFrame } from './sse.js';

describe('SSE frames', () => {
  it('frames a message with its id and event, JSON on one data line and other text a line each', () => {
    expect(sseFrame('event', '{"a":1}', '7').toString()).toBe('id: 7\nevent: event\ndata: {"a":1}\n\n');
    expect(sseFrame('note', 'one\r\ntwo\nthree').toString()).toBe('event: note\ndata: one\ndata: two\ndata: three\n\n');
    expect(() => sseFrame('event', '{}', '7\nevent: forged')).toThrow('single line');
  });

  it('tells a client that fell behind where it got to when the stream resumes, and only to reconnect when it does not', () => {
    const resumable = overflowFrame(1024, '4711', true).toString();
    expect(resumable.startsWith('retry: 1000\nevent: overflow\ndata: ')).toBe(true);
    const told = JSON.parse(/data: (.*)\n/.exec(resumable)![1]!) as { code: string; message: string; lastEventId: string };
    expect(told).toMatchObject({ code: 'stream_overflow', lastEventId: '4711' });
    expect(told.message).toContain('more than 1024 bytes behind');
    expect(told.message).toContain('Last-Event-ID: 4711');
    const plain = JSON.parse(/data: (.*)\n/.exec(overflowFrame(1024, '9', false).toString())![1]!) as { message: string };
    expect(plain.message).toContain('reconnect to follow it again');
    expect(plain.message).not.toContain('Last-Event-ID');
  });
});
