import { describe, expect, it } from 'vitest';
import { deviceOf, mapMessage, parseClock, payloadData, wildcardLevel, type MqttMessage } from './mqtt-message.js';

const settings = { topic: 'plant/+/temp', type: 'reading.recorded', deviceField: 'deviceId' };
const message = (over: Partial<MqttMessage> & { body?: unknown } = {}): MqttMessage => {
  const { body, ...rest } = over;
  return {
    topic: 'plant/sensor-7/temp',
    payload: Buffer.from(body === undefined ? '{"t": 4.2}' : typeof body === 'string' ? body : JSON.stringify(body)),
    qos: 1,
    ...rest,
  };
};

describe('payload data', () => {
  it('reads JSON, falls back to text, and to base64 for bytes that are not UTF-8', () => {
    expect(payloadData(Buffer.from('{"t": 1}'))).toEqual({ data: { t: 1 }, encoding: 'json' });
    expect(payloadData(Buffer.from('42'))).toEqual({ data: 42, encoding: 'json' });
    expect(payloadData(Buffer.from('door open'))).toEqual({ data: 'door open', encoding: 'text' });
    expect(payloadData(Buffer.from([0xff, 0xfe, 0x00]))).toEqual({ data: '//4A', encoding: 'base64' });
    expect(payloadData(new Uint8Array())).toEqual({ data: null, encoding: 'json' });
  });
});

describe('payload data no store could keep as parsed', () => {
  it('keeps JSON that holds a NUL character, or nests past the limit, as its text, exactly as it came', () => {
    const nul = '{"name":"Ada\\u0000"}';
    expect(payloadData(Buffer.from(nul))).toEqual({ data: nul, encoding: 'text' });
    const deep = `${'['.repeat(1001)}${']'.repeat(1001)}`;
    expect(payloadData(Buffer.from(deep))).toEqual({ data: deep, encoding: 'text' });
    expect(payloadData(Buffer.from('{"name":"Ada\\u00e9"}'))).toEqual({ data: { name: 'Adaé' }, encoding: 'json' });
  });

  it('keeps text that holds a NUL character as base64', () => {
    expect(payloadData(Buffer.from('C string\u0000'))).toEqual({ data: Buffer.from('C string\u0000').toString('base64'), encoding: 'base64' });
  });
});

describe('device of a message', () => {
  it('takes the level that fills the first wildcard of the filter', () => {
    expect(wildcardLevel('plant/sensor-7/temp', 'plant/+/temp')).toBe('sensor-7');
    expect(wildcardLevel('devices/fridge-2/door/state', 'devices/#')).toBe('fridge-2');
    expect(wildcardLevel('plant/a/temp', 'plant/a/temp')).toBeUndefined();
    expect(wildcardLevel('devices', 'devices/#')).toBeUndefined();
  });

  it('prefers the payload field, then the topic', () => {
    expect(deviceOf('plant/sensor-7/temp', 'plant/+/temp', { deviceId: 'fridge-1' }, 'deviceId')).toBe('fridge-1');
    expect(deviceOf('plant/sensor-7/temp', 'plant/+/temp', { deviceId: 12 }, 'deviceId')).toBe('12');
    expect(deviceOf('plant/sensor-7/temp', 'plant/+/temp', { deviceId: '' }, 'deviceId')).toBe('sensor-7');
    expect(deviceOf('plant/sensor-7/temp', 'plant/+/temp', 'text', 'deviceId')).toBe('sensor-7');
    expect(deviceOf('plant/a/temp', 'plant/a/temp', { t: 1 }, 'deviceId')).toBeUndefined();
  });

  it('takes the topic when the payload field names the device in a way no store keeps, and never cuts a character in two', () => {
    expect(deviceOf('plant/sensor-7/temp', 'plant/+/temp', { deviceId: 'a\u0000b' }, 'deviceId')).toBe('sensor-7');
    expect(deviceOf('plant/sensor-7/temp', 'plant/+/temp', { deviceId: 'd'.repeat(257) }, 'deviceId')).toBe('sensor-7');
    const level = `${'x'.repeat(255)}😀tail`;
    expect(deviceOf(`plant/${level}/temp`, 'plant/+/temp', null, 'deviceId')).toBe('x'.repeat(255));
    expect(deviceOf(`plant/${'y'.repeat(300)}/temp`, 'plant/+/temp', null, 'deviceId')).toBe('y'.repeat(256));
  });
});

describe('carried clocks', () => {
  it('parses a clock from JSON text or an object and refuses anything else', () => {
    expect(parseClock('{"sensor-7": 3}')).toEqual({ clock: { 'sensor-7': 3 } });
    expect(parseClock({ main: 2 })).toEqual({ clock: { main: 2 } });
    expect(parseClock('{nope')).toEqual({ error: expect.any(String) });
    expect(parseClock({ main: -1 })).toEqual({ error: expect.any(String) });
  });
});

describe('mapping a message to an event', () => {
  it('makes the device the process and the payload the data, with the topic as source', () => {
    const { produced, warnings } = mapMessage(message(), settings);
    expect(warnings).toEqual([]);
    expect(produced).toEqual({
      type: 'reading.recorded',
      data: { t: 4.2 },
      process: 'sensor-7',
      source: 'mqtt://plant/sensor-7/temp',
      metadata: { mqtt: { topic: 'plant/sensor-7/temp', qos: 1, retain: false, encoding: 'json' } },
    });
  });

  it('merges the clocks of the user property and the payload field, and takes the field out of the data', () => {
    const { produced } = mapMessage(
      message({ body: { t: 1, vectorclock: { 'sensor-7': 2, main: 9 } }, userProperties: { vectorclock: '{"sensor-7": 5, "edge-1": 1}' } }),
      settings,
    );
    expect(produced.vectorClock).toEqual({ 'sensor-7': 5, main: 9, 'edge-1': 1 });
    expect(produced.data).toEqual({ t: 1 });
  });

  it('stores a message with a malformed clock without one, and says so', () => {
    const { produced, warnings } = mapMessage(message({ userProperties: { vectorclock: 'not json' } }), settings);
    expect(produced.vectorClock).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/user property vectorclock/)]);
  });

  it('names the device by the topic when the payload field cannot, and says so', () => {
    const { produced, warnings } = mapMessage(message({ body: { deviceId: 'n'.repeat(300), t: 1 } }), settings);
    expect(produced.process).toBe('sensor-7');
    expect(warnings).toEqual(['payload field deviceId is longer than 256 characters, so it cannot name the device; the topic does']);
  });

  it('leaves the process to the node when neither payload nor topic names a device', () => {
    const { produced } = mapMessage(message({ topic: 'plant/all' }), { ...settings, topic: 'plant/all' });
    expect(produced.process).toBeUndefined();
  });
});
