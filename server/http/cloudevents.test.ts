import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { modeOf, parsePublish, type PublishMode } from './cloudevents.js';

const bytes = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const limits = { maxDataDepth: 8 };
const event = (over: Record<string, unknown> = {}) => ({ specversion: '1.0', id: 'e1', source: 'test://s', type: 'reading.recorded', data: { t: 1 }, ...over });

const failure = (fn: () => unknown): ApiError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a failure');
};

const parse = (mode: PublishMode, body: unknown, headers: Record<string, string> = {}, contentType?: string) =>
  parsePublish(mode, contentType, headers, bytes(body), limits);

describe('publish modes', () => {
  it('picks the mode from ce- headers first, then the content type', () => {
    expect(modeOf('application/json', { 'ce-specversion': '1.0' }, bytes('{}'))).toBe('binary');
    expect(modeOf('application/cloudevents+json; charset=utf-8', {}, bytes('{}'))).toBe('structured');
    expect(modeOf('application/cloudevents-batch+json', {}, bytes('[]'))).toBe('batch');
    expect(modeOf('application/json', {}, bytes('  [{}]'))).toBe('batch');
    expect(modeOf('application/json', {}, bytes('{}'))).toBe('structured');
  });

  it('refuses a content type that is no mode with 415 naming Content-Type', () => {
    const error = failure(() => modeOf('text/plain', {}, bytes('x')));
    expect(error.status).toBe(415);
    expect(error.details[0]?.path).toBe('Content-Type');
  });
});

describe('structured and batch events', () => {
  it('maps CloudEvents attributes and Causeway extensions to a publish input', () => {
    const [input] = parse('structured', event({ subject: 'fridge-1', correlationid: 'c1', causationid: 'k1', process: 'fridge-1', vectorclock: '{"fridge-1":4}', stream: 'fridges', expectedversion: '2', time: '2026-01-02T03:04:05+01:00', site: 'north' }));
    expect(input).toEqual({
      id: 'e1',
      type: 'reading.recorded',
      source: 'test://s',
      time: '2026-01-02T02:04:05.000Z',
      subject: 'fridge-1',
      data: { t: 1 },
      stream: 'fridges',
      expectedVersion: 2,
      process: 'fridge-1',
      vectorClock: { 'fridge-1': 4 },
      correlationId: 'c1',
      causationId: 'k1',
      metadata: { site: 'north' },
    });
  });

  it('names the field and the index of a bad event in a batch', () => {
    const error = failure(() => parse('batch', [event(), event({ type: '' })]));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^1\.type/);
  });

  it('refuses an empty batch, a bad vector clock, a bad process name and data nested too deep', () => {
    expect(failure(() => parse('batch', [])).status).toBe(400);
    expect(failure(() => parse('structured', event({ vectorclock: '{"a":-1}' }))).message).toMatch(/^vectorclock/);
    expect(failure(() => parse('structured', event({ vectorclock: 'nope' }))).message).toMatch(/^vectorclock/);
    expect(failure(() => parse('structured', event({ process: 'has space' }))).message).toMatch(/^process/);
    let deep: unknown = 1;
    for (let i = 0; i < 10; i++) deep = { deep };
    expect(failure(() => parse('structured', event({ data: deep }))).message).toMatch(/^data/);
  });

  it('keeps base64 data as text and says so in the metadata', () => {
    const [input] = parse('structured', { ...event(), data: undefined, data_base64: 'AAEC' });
    expect(input?.data).toBe('AAEC');
    expect(input?.metadata).toEqual({ dataencoding: 'base64' });
  });

  it('refuses an attribute named __proto__ with 400 naming it, instead of dropping it', () => {
    const body = '{"specversion":"1.0","id":"p1","source":"test://p","type":"reading.recorded","__proto__":{"site":"x"}}';
    const error = failure(() => parse('structured', body));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^__proto__: attribute names/);
    expect(failure(() => parse('batch', `[${body}]`)).message).toMatch(/^0\.__proto__: attribute names/);
  });

  it('refuses a body that is not JSON with invalid_json', () => {
    expect(failure(() => parse('structured', '{"id":')).code).toBe('invalid_json');
  });
});

describe('binary mode', () => {
  const headers = { 'ce-specversion': '1.0', 'ce-id': 'b1', 'ce-source': 'test://b', 'ce-type': 'reading.recorded' };

  it('reads attributes from ce- headers and the body as data', () => {
    const [json] = parse('binary', { t: 3 }, { ...headers, 'ce-subject': 'fridge-2', 'ce-expectedversion': '0' }, 'application/json');
    expect(json).toMatchObject({ id: 'b1', subject: 'fridge-2', data: { t: 3 }, expectedVersion: 0, datacontenttype: 'application/json' });
    const [text] = parse('binary', 'hello', headers, 'text/plain');
    expect(text?.data).toBe('hello');
    const [binary] = parsePublish('binary', 'application/octet-stream', headers, new Uint8Array([0, 1, 2]), limits);
    expect(binary?.data).toBe('AAEC');
  });

  it('refuses a ce-__proto__ header with 400 naming it, instead of dropping it', () => {
    expect(failure(() => parse('binary', {}, { ...headers, 'ce-__proto__': 'x' }, 'application/json')).message).toMatch(/^ce-__proto__/);
  });

  it('names the missing header', () => {
    const { 'ce-id': _id, ...rest } = headers;
    expect(failure(() => parse('binary', {}, rest, 'application/json')).message).toMatch(/^ce-id/);
  });
});
