// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigPanel, type NodeSettings } from './ConfigPanel.js';

const router: NodeSettings = {
  id: 'n2',
  type: 'router',
  name: 'split',
  process: 'edge-1',
  config: { rules: [{ port: 'hot', expression: 'data.t > 8' }] },
};
const timer: NodeSettings = { id: 'n1', type: 'timer', name: 'tick', process: 'main', config: { intervalMs: 250, type: 'tick', data: { site: 'north' } } };

afterEach(cleanup);

describe('node settings panel', () => {
  it('passes edits on while the node can be edited', () => {
    const onChange = vi.fn();
    render(<ConfigPanel node={timer} problems={[]} onChange={onChange} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'heartbeat' } });
    expect(onChange).toHaveBeenCalledWith({ name: 'heartbeat' });
    expect(screen.queryByText(/read-only/)).toBeNull();
  });

  it('shows the server’s JavaScript syntax error on its field, without the path the field already is', () => {
    const fn: NodeSettings = { id: 'n3', type: 'function', name: 'f', process: 'main', config: { code: 'return {' } };
    render(<ConfigPanel node={fn} problems={[{ code: 'script_syntax', nodeId: 'n3', path: 'config.code', message: 'config.code: JavaScript syntax error at line 1, column 9: unexpected end', at: { line: 1, column: 9 } }]} onChange={() => undefined} />);
    expect(screen.getByRole('alert').textContent).toBe('JavaScript syntax error at line 1, column 9: unexpected end');
    expect(screen.getByLabelText(/Code/).getAttribute('aria-invalid')).toBe('true');
  });

  it('shows an older revision’s node whole, read-only and marked so', () => {
    render(<ConfigPanel node={router} problems={[]} readOnly="revision 2" onChange={() => undefined} />);
    expect(screen.getByRole('complementary', { name: 'Node settings (read-only: revision 2)' })).toBeTruthy();
    expect(screen.getByText('read-only: revision 2')).toBeTruthy();
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('split');
    expect((screen.getByLabelText('Process') as HTMLInputElement).value).toBe('edge-1');
    expect((screen.getByLabelText('Port') as HTMLInputElement).value).toBe('hot');
    expect((screen.getByLabelText(/Expression/) as HTMLTextAreaElement).value).toBe('data.t > 8');
  });

  it('disables every input of a read-only node and offers no list buttons', () => {
    render(<ConfigPanel node={router} problems={[]} readOnly="revision 2" onChange={() => undefined} />);
    const panel = screen.getByRole('complementary');
    const controls = [...panel.querySelectorAll('input, textarea, select')] as HTMLInputElement[];
    expect(controls.length).toBeGreaterThanOrEqual(4);
    for (const control of controls) expect(control.disabled).toBe(true);
    expect(screen.queryByRole('button', { name: /Add to rules|Remove rules/ })).toBeNull();
  });

  it('lets no edit of a read-only node through', () => {
    const onChange = vi.fn();
    render(<ConfigPanel node={timer} problems={[]} readOnly="revision 1" onChange={onChange} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'changed' } });
    fireEvent.change(screen.getByLabelText('Interval (ms)'), { target: { value: '5' } });
    fireEvent.change(screen.getByLabelText('Data (JSON)'), { target: { value: '{}' } });
    expect(onChange).not.toHaveBeenCalled();
  });

  it('hands over JSON that does not parse as an invalid text, and shows it again when drawn anew', () => {
    const actor: NodeSettings = { id: 'n4', type: 'actor', name: 'a', process: 'main', config: { key: 'source', reducer: 'return {state, emit: []}', initialState: {} } };
    const onInvalid = vi.fn();
    const onChange = vi.fn();
    const { unmount } = render(<ConfigPanel node={actor} problems={[]} onInvalid={onInvalid} onChange={onChange} />);
    fireEvent.change(screen.getByLabelText('Initial state (JSON)'), { target: { value: '{"count": ' } });
    expect(onInvalid).toHaveBeenLastCalledWith('initialState', { text: '{"count": ', message: expect.stringMatching(/^Not valid JSON: /) });
    expect(onChange).not.toHaveBeenCalled();
    unmount();
    render(<ConfigPanel node={actor} problems={[]} invalid={{ initialState: '{"count": ' }} onInvalid={onInvalid} onChange={onChange} />);
    expect((screen.getByLabelText('Initial state (JSON)') as HTMLTextAreaElement).value).toBe('{"count": ');
    expect(screen.getByRole('alert').textContent).toMatch(/^Not valid JSON: /);
    fireEvent.change(screen.getByLabelText('Initial state (JSON)'), { target: { value: '{"count": 0}' } });
    expect(onInvalid).toHaveBeenLastCalledWith('initialState', null);
    expect(onChange).toHaveBeenLastCalledWith({ config: { ...actor.config, initialState: { count: 0 } } });
  });
});
