// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults.js';
import { configErrors } from './field-errors.js';
import { configJsonSchema } from './json-schema.js';
import { SchemaForm } from './SchemaForm.js';

/** The form as the config panel uses it: state held outside, errors from the node type's schema. */
function Harness({ type, initial, onValue }: { type: string; initial?: Record<string, unknown>; onValue?(v: Record<string, unknown>): void }) {
  const schema = configJsonSchema(type)!;
  const [value, setValue] = useState<Record<string, unknown>>(initial ?? defaultConfig(schema));
  return (
    <SchemaForm
      type={type}
      schema={schema}
      value={value}
      errors={configErrors(type, value)}
      idPrefix="t"
      onChange={(v) => {
        setValue(v);
        onValue?.(v);
      }}
    />
  );
}

afterEach(cleanup);

describe('schema-driven config form', () => {
  it('fills the defaults of a simulator into number and text fields, nested groups included', () => {
    render(<Harness type="simulator" />);
    expect((screen.getByLabelText('Devices') as HTMLInputElement).value).toBe('8');
    expect((screen.getByLabelText('Interval (ms)') as HTMLInputElement).value).toBe('500');
    expect((screen.getByLabelText('Type') as HTMLInputElement).value).toBe('reading.recorded');
    expect((screen.getByLabelText('Base') as HTMLInputElement).value).toBe('4');
  });

  it('passes typed numbers on as numbers and shows an out-of-range value as a field error', () => {
    let last: Record<string, unknown> = {};
    render(<Harness type="simulator" onValue={(v) => (last = v)} />);
    fireEvent.change(screen.getByLabelText('Devices'), { target: { value: '2000' } });
    expect(last.devices).toBe(2000);
    expect(screen.getByRole('alert').textContent).toMatch(/1000/);
    fireEvent.change(screen.getByLabelText('Devices'), { target: { value: '12' } });
    expect(last.devices).toBe(12);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('offers an enum as a choice and a union of constants as a choice of numbers', () => {
    let last: Record<string, unknown> = {};
    render(<Harness type="mqtt-publish" initial={{ topic: 'alerts' }} onValue={(v) => (last = v)} />);
    const qos = screen.getByLabelText('Qos') as HTMLSelectElement;
    expect([...qos.options].map((o) => o.textContent)).toEqual(['Choose…', '0', '1', '2']);
    fireEvent.change(qos, { target: { value: '2' } });
    expect(last.qos).toBe(2);
    fireEvent.click(screen.getByLabelText('Retain'));
    expect(last.retain).toBe(true);
  });

  it('shows a JSONata syntax error as the user types, and clears it once the expression parses', () => {
    render(<Harness type="filter" initial={{ expression: 'data.t > 8' }} />);
    const field = screen.getByLabelText(/Expression/);
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.change(field, { target: { value: 'data.t >' } });
    // The compiler's own wording (shared/jsonata-syntax.ts), so the problems list says the same.
    expect(screen.getByRole('alert').textContent).toBe('JSONata syntax error at position 8 (S0207): Unexpected end of expression');
    fireEvent.change(field, { target: { value: 'data.t > 9' } });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('asks for a required code field, and leaves JavaScript syntax to the server (no eval in the page)', () => {
    render(<Harness type="function" />);
    const code = screen.getByLabelText(/Code/);
    expect(screen.getByRole('alert').textContent).toMatch(/required|expected string/i);
    fireEvent.change(code, { target: { value: 'return {type: "x", data: event.data' } });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('edits a key-value list (HTTP headers) into an object', () => {
    let last: Record<string, unknown> = {};
    render(<Harness type="http-request" initial={{ url: 'http://127.0.0.1:9/hook', headers: {} }} onValue={(v) => (last = v)} />);
    fireEvent.click(screen.getByRole('button', { name: 'Add to headers' }));
    fireEvent.change(screen.getByLabelText('Headers 1 name'), { target: { value: 'x-token' } });
    fireEvent.change(screen.getByLabelText('Headers 1 value'), { target: { value: 'abc' } });
    expect(last.headers).toEqual({ 'x-token': 'abc' });
  });

  it('edits a list of objects (router rules), each with its own fields', () => {
    let last: Record<string, unknown> = {};
    render(<Harness type="router" onValue={(v) => (last = v)} />);
    expect(screen.getByText('None yet.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Add to rules' }));
    fireEvent.change(screen.getByLabelText('Port'), { target: { value: 'hot' } });
    fireEvent.change(screen.getByLabelText(/Expression/), { target: { value: 'data.t > 8' } });
    expect(last.rules).toEqual([{ port: 'hot', expression: 'data.t > 8' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Remove rules 1' }));
    expect(last.rules).toEqual([]);
  });

  it('takes free JSON for an unknown-shaped field and reports text that is not JSON', () => {
    let last: Record<string, unknown> = {};
    render(<Harness type="timer" onValue={(v) => (last = v)} />);
    const data = screen.getByLabelText('Data (JSON)');
    fireEvent.change(data, { target: { value: '{"site": "north"}' } });
    expect(last.data).toEqual({ site: 'north' });
    fireEvent.change(data, { target: { value: '{"site": ' } });
    expect(screen.getByRole('alert').textContent).toMatch(/Not valid JSON/);
    expect(last.data).toEqual({ site: 'north' });
  });
});
