/**
 * The editor's Test panel: events run through the flow as drawn — unsaved edits included, nothing deployed — in
 * dry-run on the server (`POST /api/flows/test`). Inputs are rows of hand-written CloudEvent JSON, event ids (or the
 * events picked on the timeline with "Use in test"), or the last N events of one of the flow's sources; a set of rows
 * can be saved by name for this flow (test-sets.ts). The result shows, per node, what it received, emitted and
 * failed on (TestResults), and the node cards show the counts while the panel is open.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { settingsOf } from '../../shared/flow.js';
import { nodeType } from '../../shared/nodes/index.js';
import { ApiFailure, describeError } from '../api/client.js';
import { editorStore, useEditor } from '../canvas/store.js';
import { runFlowTest } from './api.js';
import { InputRows } from './InputRows.js';
import { testInputsOf, type InputRow } from './inputs.js';
import { clearPicks, deleteTestSet, listPicks, listTestSets, saveTestSet, type PickedEvent, type TestSet } from './test-sets.js';
import { testPanelStore, useTestPanel } from './test-store.js';
import { TestResults } from './TestResults.js';
import './test-panel.css';

/** The problems of a refused test: the message, and a compile failure's problems by node. */
function failureText(error: unknown): string[] {
  if (error instanceof ApiFailure && error.code === 'compile_failed') {
    const problems = ((error.body as { errors?: { nodeId: string | null; message: string }[] } | null)?.errors ?? []).map((p) => `${p.nodeId ?? 'flow'}: ${p.message}`);
    return ['The flow does not compile:', ...problems];
  }
  return [describeError(error)];
}

export function TestPanel({ flowId, names }: { flowId: string; names: ReadonlyMap<string, string> }) {
  const rows = useTestPanel((s) => s.rows);
  const result = useTestPanel((s) => s.result);
  const sourceList = useEditor(useShallow((s) => s.nodes.filter((n) => nodeType(n.type)?.kind === 'source').map((n) => n.id)));
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string[] | null>(null);
  const [sets, setSets] = useState<TestSet[]>([]);
  const [setName, setSetName] = useState('');
  const [picks, setPicks] = useState<PickedEvent[]>([]);
  const { inputs, problems } = useMemo(() => testInputsOf(rows), [rows]);

  const refresh = useCallback(() => {
    void listTestSets(flowId).then(setSets);
    void listPicks().then(setPicks);
  }, [flowId]);
  useEffect(refresh, [refresh]);

  const setRows = (next: InputRow[]) => testPanelStore.getState().setRows(next);

  const run = async () => {
    const s = editorStore.getState();
    setRunning(true);
    setFailure(null);
    try {
      const answer = await runFlowTest({ flow: { id: flowId, name: s.name || flowId, description: s.description, ...settingsOf(s), nodes: s.nodes, edges: s.edges }, inputs });
      testPanelStore.getState().setResult(answer);
    } catch (error) {
      testPanelStore.getState().setResult(null);
      setFailure(failureText(error));
    } finally {
      setRunning(false);
    }
  };

  const addPicks = async () => {
    setRows([...rows, { kind: 'ids', source: '', text: picks.map((p) => p.id).join('\n') }]);
    await clearPicks();
    refresh();
  };

  const save = async () => {
    if (setName.trim() === '') return;
    await saveTestSet(flowId, setName.trim(), rows);
    refresh();
  };

  return (
    <section className="test-panel" aria-label="Test">
      <div className="test-inputs">
        <header className="panel-header">
          <h2>Test</h2>
          <span className="muted">events through the flow as drawn, in dry-run: nothing is stored or sent</span>
        </header>
        <InputRows rows={rows} problems={problems} sources={sourceList} names={names} onChange={setRows} />
        {picks.length > 0 ? (
          <p>
            <button type="button" className="small" onClick={() => void addPicks()}>
              Add {picks.length} event{picks.length === 1 ? '' : 's'} picked on the timeline
            </button>
          </p>
        ) : null}
        <div className="test-actions">
          <button type="button" className="primary" onClick={() => void run()} disabled={running || problems.size > 0 || inputs.length === 0}>
            {running ? 'Running…' : 'Run test'}
          </button>
          <input aria-label="Test set name" placeholder="Test set name" value={setName} onChange={(e) => setSetName(e.target.value)} />
          <button type="button" className="small" onClick={() => void save()} disabled={setName.trim() === ''}>
            Save set
          </button>
          {sets.length > 0 ? (
            <select aria-label="Saved test sets" value="" onChange={(e) => {
              const chosen = sets.find((t) => t.name === e.target.value);
              if (chosen) {
                setRows(chosen.rows);
                setSetName(chosen.name);
              }
            }}>
              <option value="">Load a saved set…</option>
              {sets.map((t) => (
                <option key={t.name} value={t.name}>
                  {t.name}
                </option>
              ))}
            </select>
          ) : null}
          {sets.some((t) => t.name === setName.trim()) ? (
            <button type="button" className="small danger" onClick={() => void deleteTestSet(flowId, setName.trim()).then(refresh)}>
              Delete set
            </button>
          ) : null}
        </div>
        {failure ? (
          <div className="test-failure" role="alert">
            {failure.map((line) => (
              <p key={line}>{line}</p>
            ))}
          </div>
        ) : null}
      </div>
      <TestResults result={result} names={names} />
    </section>
  );
}
