/**
 * The flow editor: palette, canvas, the selected node's settings (or, with none selected, the flow's settings and its
 * problems), a status bar with save and deploy, the live debug panel, revisions with diff and roll back, and the
 * restore of unsaved drafts. A subflow used in the flow opens for editing in place (useInPlace.ts): the same editor
 * shows it, and going back shows the flow exactly as it was left.
 */
import { ReactFlowProvider, useReactFlow, type Viewport } from '@xyflow/react';
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { NodeCounters } from '../../shared/api/flows.js';
import { settingsOf } from '../../shared/flow.js';
import { isSubflowId } from '../../shared/nodes/index.js';
import { describeError } from '../api/client.js';
import { useFlow, useRevision, useRevisions, useStatus } from '../api/hooks.js';
import { ConfigPanel, type NodeSettings } from '../config/ConfigPanel.js';
import type { Draft } from '../drafts/db.js';
import { discardDraft, loadDraft } from '../drafts/drafts.js';
import { useAutosave } from '../drafts/useAutosave.js';
import { cardCounters } from '../live/card-counters.js';
import { DebugPanel } from '../live/DebugPanel.js';
import { OutageBanner } from '../live/OutageBanner.js';
import { useReachability } from '../live/reach.js';
import { useLive } from '../live/useLive.js';
import { TestPanel } from '../test-panel/TestPanel.js';
import { testPanelStore, useTestCounters, useTestPanel } from '../test-panel/test-store.js';
import { CLIPBOARD_KIND, parseClipboard, type ClipboardPayload } from './clipboard.js';
import { FlowCanvas } from './FlowCanvas.js';
import { FlowSettings } from './FlowSettings.js';
import { setHovered } from './hovered.js';
import { NodeTrafficView } from './NodeTrafficView.js';
import { layoutFlow } from './layout.js';
import { useFitView } from './use-fit-view.js';
import { Palette } from './Palette.js';
import { ProblemsList } from './ProblemsList.js';
import { RevisionsPanel } from './RevisionsPanel.js';
import { RevisionView } from './RevisionView.js';
import { byNode, countText, saveBlocker } from './problems.js';
import { actionFor, isTypingTarget, worksInFields, type EditorAction } from './shortcuts.js';
import { ShortcutHelp } from './ShortcutHelp.js';
import { editorStore, useEditor, type EditorState } from './store.js';
import { useConfigSupport } from './useConfigSupport.js';
import { MergeView } from '../diff/MergeView.js';
import { NewerRevisionBanner } from './NewerRevisionBanner.js';
import { SubflowInfo } from './SubflowInfo.js';
import { SubflowPalette } from './SubflowPalette.js';
import { SubflowTrail } from './SubflowTrail.js';
import { InPlaceProvider, useInPlace, useInPlaceTrail, useOpenSubflow } from './useInPlace.js';
import { useMakeSubflow } from './useMakeSubflow.js';
import { useFlowActions } from './useFlowActions.js';
import { useMerge } from './useMerge.js';
import { useNewerRevision } from './useNewerRevision.js';
import { useNodeFromUrl } from './useNodeFromUrl.js';
import { useValidation } from './useValidation.js';
import type { Wire } from './wiring.js';

const CLIPBOARD_STORAGE = 'causeway.clipboard';

export default function EditorPage({ flowId }: { flowId: string }) {
  const inPlace = useInPlaceTrail(flowId);
  const { shown, returned, parents } = inPlace.trail;
  return (
    <InPlaceProvider value={inPlace}>
      <FlowEditor key={shown} flowId={shown} returned={returned} fromLink={parents.length === 0 && returned === null} />
    </InPlaceProvider>
  );
}

interface FlowEditorProps {
  flowId: string;
  /** A flow returned to from a subflow opened in it: its state is back in the store, and its canvas looks here. */
  returned: Viewport | null;
  /** The flow the page's address names, opened afresh (a `?node=` in the address is for it). */
  fromLink: boolean;
}

/** One flow in the editor: loaded (and its draft offered back), or — returned to — as it was left. */
function FlowEditor({ flowId, returned, fromLink }: FlowEditorProps) {
  const query = useFlow(flowId);
  const [ready, setReady] = useState(returned !== null);
  const [draft, setDraft] = useState<Draft | null>(null);

  useEffect(() => {
    if (!query.data || ready) return;
    const flow = query.data;
    editorStore.getState().load(flow);
    setReady(true);
    void loadDraft(flowId).then((found) => {
      const same = JSON.stringify([found?.name, found?.partitionKey, found?.nodes, found?.edges]) === JSON.stringify([flow.name, flow.partitionKey, flow.nodes, flow.edges]);
      if (found && !same) setDraft(found);
    });
  }, [query.data, ready, flowId]);

  if (!ready) {
    return (
      <div className="editor">
        <SubflowTrail name={query.data?.name ?? flowId} />
        {query.isLoading ? (
          <p className="page muted">Loading the flow…</p>
        ) : query.error ? (
          <p className="page field-error">Could not load this flow: {describeError(query.error)}</p>
        ) : (
          <p className="page muted">Opening the flow…</p>
        )}
      </div>
    );
  }
  return (
    <ReactFlowProvider>
      <Editor flowId={flowId} draft={draft} onDraftHandled={() => setDraft(null)} viewport={returned} fromLink={fromLink} />
    </ReactFlowProvider>
  );
}

function DraftBanner({ draft, onRestore, onDiscard }: { draft: Draft; onRestore(): void; onDiscard(): void }) {
  return (
    <div className="banner" role="alert">
      <span>
        You have unsaved changes from {new Date(draft.savedAt).toLocaleString()} (edited from revision {draft.baseRevision}).
      </span>
      <button type="button" onClick={onRestore}>
        Restore draft
      </button>
      <button type="button" className="secondary" onClick={onDiscard}>
        Discard draft
      </button>
    </div>
  );
}

interface EditorProps {
  flowId: string;
  draft: Draft | null;
  onDraftHandled(): void;
  /** Where the canvas opens looking (a flow returned to); null: the opening view. */
  viewport: Viewport | null;
  fromLink: boolean;
}

function Editor({ flowId, draft, onDraftHandled, viewport, fromLink }: EditorProps) {
  const rf = useReactFlow();
  // Narrow selections only: a drag changes the nodes on every frame, and none of these change with it.
  const nodeCount = useEditor((s) => s.nodes.length);
  const name = useEditor((s) => s.name);
  const nameList = useEditor(useShallow((s) => s.nodes.map((n) => `${n.id}\u0000${n.name}`)));
  const selected = useEditor(useShallow(selectedSettings));
  const dirty = useEditor((s) => s.dirty);
  const baseRevision = useEditor((s) => s.baseRevision);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const selectedCount = useEditor((s) => s.selectedNodes.length);

  const [help, setHelp] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [showRevisions, setShowRevisions] = useState(false);
  const [chosenRevision, setChosenRevision] = useState<number | null>(null);
  const inPlace = useInPlace();
  const testing = useTestPanel((s) => s.open);
  const testCounters = useTestCounters();
  useEffect(() => testPanelStore.getState().reset(), [flowId]);

  const validation = useValidation(true);
  const actions = useFlowActions(flowId, validation.show);
  const status = useStatus(flowId);
  const running = status.data?.state === 'running';
  const live = useLive(flowId, running);
  const polled = useMemo(() => (status.data ? cardCounters(status.data) : null), [status.data]);
  const reach = useReachability();
  const revisions = useRevisions(flowId);
  const chosen = useRevision(flowId, chosenRevision);
  useAutosave(true);

  // Rebuilt only when a node is added, removed or renamed, not when one moves.
  const names = useMemo(() => new Map(nameList.map((l) => { const [id = '', name = ''] = l.split('\u0000'); return [id, name || id] as const; })), [nameList]);
  const problems = useMemo(() => byNode(validation.errors), [validation.errors]);
  const warnings = useMemo(() => byNode(validation.warnings), [validation.warnings]);
  const selectedProblems = useMemo(() => (selected ? validation.errors.filter((p) => p.nodeId === selected.id) : []), [selected, validation.errors]);
  const selectedId = selected?.id;
  const support = useConfigSupport(selectedId, live.debug);
  const blocked = useEditor((s) => saveBlocker(s.invalid, names));
  const changeSelected = useCallback((change: NodeChange) => {
    if (selectedId !== undefined) editorStore.getState().updateNode(selectedId, change);
  }, [selectedId]);

  const say = useCallback((text: string) => {
    setNotice(text);
    window.setTimeout(() => setNotice((n) => (n === text ? null : n)), 4000);
  }, []);
  // What the flow just left had to say (its unsaved edits kept as a draft), said here once.
  const left = inPlace.notice;
  useEffect(() => {
    if (left) say(left);
  }, [left, say]);
  const openSubflow = useOpenSubflow(say);

  const makeSubflow = useMakeSubflow(say);
  const newer = useNewerRevision(flowId, baseRevision);
  const merging = useMerge(flowId, (flow) => {
    actions.settled();
    say(`Merged and saved as revision ${flow.revision}.`);
  });

  const addAtCentre = useCallback((type: string) => {
    const box = document.querySelector('.canvas')?.getBoundingClientRect();
    const centre = box ? rf.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
    const offset = (editorStore.getState().nodes.length % 5) * 24;
    editorStore.getState().addNode(type, { x: centre.x - 90 + offset, y: centre.y - 36 + offset });
  }, [rf]);

  const fit = useFitView();
  useNodeFromUrl(say, fromLink);

  const layout = useCallback(async () => {
    const s = editorStore.getState();
    if (s.nodes.length === 0) return;
    s.moveNodes(await layoutFlow(s.nodes, s.edges));
    const moved = editorStore.getState().nodes.map((n) => n.position);
    window.requestAnimationFrame(() => fit(moved));
  }, [fit]);

  const copy = useCallback(
    async (cut: boolean) => {
      const s = editorStore.getState();
      const payload = cut ? s.cut() : s.copy();
      if (!payload) return;
      const text = JSON.stringify(payload);
      localStorage.setItem(CLIPBOARD_STORAGE, text);
      await navigator.clipboard?.writeText(text).catch(() => undefined);
      say(`${cut ? 'Cut' : 'Copied'} ${payload.nodes.length} node${payload.nodes.length === 1 ? '' : 's'}.`);
    },
    [say],
  );

  const paste = useCallback(async () => {
    let payload: ClipboardPayload | null = null;
    const text = await navigator.clipboard?.readText().catch(() => null);
    if (text) payload = parseClipboard(text);
    payload ??= parseClipboard(localStorage.getItem(CLIPBOARD_STORAGE) ?? '');
    if (!payload || payload.kind !== CLIPBOARD_KIND) return say('Nothing to paste: copy nodes first.');
    editorStore.getState().paste(payload);
    say(`Pasted ${payload.nodes.length} node${payload.nodes.length === 1 ? '' : 's'}.`);
  }, [say]);

  const run = useCallback(
    (action: EditorAction) => {
      const s = editorStore.getState();
      if (action === 'undo') s.undo();
      else if (action === 'redo') s.redo();
      else if (action === 'copy') void copy(false);
      else if (action === 'cut') void copy(true);
      else if (action === 'paste') void paste();
      else if (action === 'delete') s.deleteSelection();
      else if (action === 'selectAll') s.selectAll();
      else if (action === 'save') void actions.save();
      else if (action === 'layout') void layout();
      else if (action === 'fit') fit();
      else if (action === 'overview') fit(undefined, true);
      else if (action === 'help') setHelp((h) => !h);
      else if (action === 'escape') {
        // Escape closes what is open, then clears the selection; with neither, it leaves a subflow opened in place.
        const nothing = !help && s.selectedNodes.length === 0 && s.selectedEdges.length === 0;
        setHelp(false);
        s.select([]);
        if (nothing) inPlace.back();
      }
    },
    [actions, copy, paste, layout, fit, help, inPlace],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = actionFor(e);
      if (!action || (isTypingTarget(e.target) && !worksInFields(action))) return;
      e.preventDefault();
      run(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);

  const restore = () => {
    if (!draft) return;
    const s = editorStore.getState();
    const { name, description, nodes, edges } = draft;
    s.load({ id: flowId, revision: s.baseRevision ?? draft.baseRevision, name, description, ...settingsOf(draft), nodes, edges }, { dirty: true });
    editorStore.setState((x) => ({ version: x.version + 1 }));
    onDraftHandled();
    say('Draft restored: save to keep it as a revision.');
  };

  const discard = () => {
    void discardDraft(flowId);
    onDraftHandled();
  };

  const deployedRevision = status.data?.revision ?? null;
  const lastKnown = status.isLoading ? 'Checking…' : running ? `Running revision ${deployedRevision ?? '?'}` : 'Stopped';
  const stateText = reach.reachable ? lastKnown : `Server unreachable (last known: ${lastKnown.toLowerCase()})`;

  return (
    <div className="editor">
      <SubflowTrail name={name} />
      <header className="editor-bar" aria-label="Flow toolbar">
        <input className="flow-name" aria-label="Flow name" value={name} onChange={(e) => editorStore.getState().rename(e.target.value)} />
        <span className="muted">
          revision {baseRevision}
          {dirty ? ' · unsaved changes' : ''}
          {blocked ? <span className="status-error"> · cannot save: {blocked}</span> : null}
        </span>
        <div className="toolbar">
          <button type="button" onClick={() => editorStore.getState().undo()} disabled={!canUndo} aria-label="Undo" title="Undo (Ctrl+Z)">
            ↶
          </button>
          <button type="button" onClick={() => editorStore.getState().redo()} disabled={!canRedo} aria-label="Redo" title="Redo (Ctrl+Shift+Z)">
            ↷
          </button>
          <button type="button" onClick={() => void layout()} disabled={nodeCount === 0}>
            Auto-layout
          </button>
          <button type="button" onClick={() => void makeSubflow()} disabled={selectedCount === 0} title="Make the selected nodes a reusable subflow">
            Make subflow
          </button>
          <button type="button" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
            ?
          </button>
          <button type="button" aria-pressed={showRevisions} onClick={() => setShowRevisions((v) => !v)}>
            Revisions
          </button>
          <button type="button" aria-pressed={testing} onClick={() => testPanelStore.getState().setOpen(!testing)} title="Run events through the flow as drawn, in dry-run">
            Test
          </button>
          <button type="button" onClick={() => void actions.save()} disabled={!dirty || blocked !== null || actions.busy !== null} title={blocked ? `Cannot save: ${blocked}` : undefined}>
            {actions.busy === 'save' ? 'Saving…' : 'Save'}
          </button>
          <button type="button" className="primary" onClick={() => void actions.deploy()} disabled={actions.busy !== null}>
            {actions.busy === 'deploy' ? 'Deploying…' : 'Deploy'}
          </button>
          <button type="button" onClick={() => void actions.stop()} disabled={!running || actions.busy !== null}>
            Stop
          </button>
        </div>
      </header>
      {draft ? <DraftBanner draft={draft} onRestore={restore} onDiscard={discard} /> : null}
      {actions.conflict ? (
        <div className="banner banner-error" role="alert">
          <span>
            Someone saved a newer revision{actions.conflict.serverRevision ? ` (${actions.conflict.serverRevision})` : ''} while you were editing.
          </span>
          <button type="button" onClick={() => void actions.reloadTheirs()}>
            Reload theirs
          </button>
          <button type="button" className="secondary" onClick={() => void actions.overwrite()}>
            Overwrite with mine
          </button>
          <button type="button" onClick={() => void merging.open()}>
            Merge…
          </button>
        </div>
      ) : null}
      {newer && !actions.conflict && !merging.sides ? (
        <NewerRevisionBanner newer={newer} dirty={dirty} onLoad={(flow) => { editorStore.getState().load(flow); void discardDraft(flowId); }} onMerge={(flow) => void merging.open(flow)} />
      ) : null}
      {merging.error && !merging.sides ? <div className="banner banner-error" role="alert">{merging.error}</div> : null}
      {reach.reachable ? null : <OutageBanner since={reach.lostAt} />}
      <div className="editor-body">
        <Palette onAdd={addAtCentre} extra={<SubflowPalette flowId={flowId} say={say} />} />
        <main className="editor-main">
          {merging.sides ? (
            <MergeView {...merging.sides} busy={merging.busy} error={merging.error} onSave={(merged, over) => void merging.save(merged, over)} onCancel={merging.close} />
          ) : chosenRevision !== null ? (
            <RevisionView
              revision={chosenRevision}
              flow={chosen.data}
              loading={chosen.isLoading}
              error={chosen.error ? describeError(chosen.error) : null}
              onClose={() => setChosenRevision(null)}
              onRollback={(flow) => void actions.rollback(flow).then(() => setChosenRevision(null))}
            />
          ) : (
            <>
              <EditorCanvas
                problems={problems}
                warnings={warnings}
                counters={testCounters ?? (running ? (live.counters ?? polled) : null)}
                rates={running ? live.rates.series : null}
                now={running && !testCounters ? live.rates.at : null}
                say={say}
                onOpenSubflow={openSubflow}
                viewport={viewport}
              />
              {nodeCount === 0 ? (
                <div className="canvas-empty" aria-hidden>
                  <p>This flow is empty.</p>
                  <p>Drag a node from the palette on the left onto the canvas (or select it and press Enter), then wire an output port to an input port.</p>
                </div>
              ) : null}
            </>
          )}
          <NodeTrafficView flowId={flowId} running={running && reach.reachable} names={names} />
          {notice ? (
            <div className="toast" role="status">
              {notice}
            </div>
          ) : null}
        </main>
        <div className="editor-side">
          {showRevisions ? (
            <RevisionsPanel
              revisions={revisions.data}
              loading={revisions.isLoading}
              error={revisions.error ? describeError(revisions.error) : null}
              current={baseRevision}
              deployed={deployedRevision}
              chosen={chosenRevision}
              onChoose={setChosenRevision}
            />
          ) : selected ? (
            <>
              {selected.type === 'subflow' ? <SubflowInfo node={selected} onPorts={(outputs) => changeSelected({ config: { ...selected.config, outputs } })} onEdit={openSubflow} /> : null}
              <ConfigPanel node={selected} problems={selectedProblems} fields={support.fields} invalid={support.invalid} onInvalid={support.onInvalid} onChange={changeSelected} />
            </>
          ) : (
            <>
              {/* A subflow runs inside the flows that use it, partitioned by theirs: it has no settings of its own. */}
              {isSubflowId(flowId) ? null : <FlowSettings errors={validation.errors} fields={support.fields} />}
              <ProblemsList
                errors={validation.errors}
                warnings={validation.warnings}
                names={names}
                empty={nodeCount === 0}
                checking={validation.checking}
                onSelect={(id) => {
                  editorStore.getState().select([id]);
                  const node = editorStore.getState().nodes.find((n) => n.id === id);
                  if (node) void rf.setCenter(node.position.x + 90, node.position.y + 36, { zoom: rf.getZoom(), duration: 200 });
                }}
              />
            </>
          )}
        </div>
      </div>
      <div className={`editor-bottom${testing ? ' testing' : ''}`}>
        {testing ? (
          <TestPanel flowId={flowId} names={names} />
        ) : (
          <DebugPanel entries={live.debug} names={names} paused={live.paused} running={running} onPause={live.setPaused} onClear={live.clear} />
        )}
      </div>
      <footer className="status-bar" aria-label="Status">
        <span className={`state-dot ${!reach.reachable ? 'unreachable' : running ? 'running' : 'stopped'}`} data-testid="state-dot" aria-hidden />
        <span data-testid="flow-state">{stateText}</span>
        {running && !live.connected ? <span className="muted"> · live updates reconnecting</span> : null}
        <span className="muted">
          {' '}
          · {validation.checking ? 'checking…' : validation.failure ? `validation unavailable: ${validation.failure}` : countText(validation.errors.length, validation.warnings.length)}
        </span>
        {actions.message ? (
          <span className={actions.message.tone === 'error' ? 'status-error' : 'status-info'} role="status">
            {' '}
            · {actions.message.text}
          </span>
        ) : null}
      </footer>
      {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
    </div>
  );
}

type NodeChange = Parameters<EditorState['updateNode']>[1];

/** The one selected node's settings (everything but its position), or null. */
function selectedSettings(s: EditorState): NodeSettings | null {
  const id = s.selectedNodes.length === 1 ? s.selectedNodes[0] : undefined;
  const node = id === undefined ? undefined : s.nodes.find((n) => n.id === id);
  return node ? { id: node.id, type: node.type, name: node.name, process: node.process, config: node.config } : null;
}

const moveNodes = (positions: Record<string, { x: number; y: number }>) => editorStore.getState().moveNodes(positions);
const select = (nodes: string[], edges: string[]) => editorStore.getState().select(nodes, edges);
const connect = (wire: Wire) => editorStore.getState().connect(wire);
const dropType = (type: string, position: { x: number; y: number }) => void editorStore.getState().addNode(type, { x: position.x - 90, y: position.y - 36 });

interface EditorCanvasProps {
  problems: ReadonlyMap<string, string[]>;
  warnings: ReadonlyMap<string, string[]>;
  counters: Record<string, NodeCounters> | null;
  rates: Record<string, number[]> | null;
  now: number | null;
  say(text: string): void;
  /** Opens a subflow in place: a double-clicked instance's. */
  onOpenSubflow(subflowId: string): void;
  viewport: Viewport | null;
}

/** The canvas of the flow being edited: the only part of the editor that redraws while nodes are dragged. */
const EditorCanvas = memo(function EditorCanvas({ problems, warnings, counters, rates, now, say, onOpenSubflow, viewport }: EditorCanvasProps) {
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const selectedNodes = useEditor((s) => s.selectedNodes);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const refused = useCallback((reason: string) => say(`Wire refused: ${reason}`), [say]);
  const open = useCallback(
    (nodeId: string) => {
      const node = editorStore.getState().nodes.find((n) => n.id === nodeId);
      if (node?.type === 'subflow' && typeof node.config.subflow === 'string') onOpenSubflow(node.config.subflow);
    },
    [onOpenSubflow],
  );
  return (
    <FlowCanvas
      nodes={nodes}
      edges={edges}
      selectedNodes={selectedNodes}
      selectedEdges={selectedEdges}
      problems={problems}
      warnings={warnings}
      counters={counters}
      rates={rates}
      now={now}
      onMove={moveNodes}
      onSelect={select}
      onConnect={connect}
      onRefused={refused}
      onDropType={dropType}
      onHover={setHovered}
      onOpen={open}
      initialViewport={viewport}
    />
  );
});
