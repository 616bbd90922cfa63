/**
 * The flow's own settings, beside the canvas while no node is selected: its partition key, a JSONata field like a
 * node's code fields. A syntax error shows as the user types (the compiler's own check, so the field and Problems
 * word it alike); the compiler's other errors on the path `partitionKey` show under the field.
 */
import { memo } from 'react';
import type { Problem } from '../../shared/api/flows.js';
import { CodeField } from '../config/CodeField.js';
import type { FieldTree } from '../config/code/event-fields.js';
import { problemText } from '../config/field-errors.js';
import { editorStore, useEditor } from './store.js';

const PARTITION_KEY = 'partitionKey';

interface Props {
  /** The flow's compile errors: those on `partitionKey` are shown on its field. */
  errors: readonly Problem[];
  /** Event fields the field completes. */
  fields(): FieldTree;
}

const setPartitionKey = (text: string) => editorStore.getState().setPartitionKey(text);

export const FlowSettings = memo(function FlowSettings({ errors, fields }: Props) {
  const partitionKey = useEditor((s) => s.partitionKey);
  const problem = errors.find((p) => p.nodeId === null && p.path === PARTITION_KEY && p.code !== 'jsonata_syntax');
  return (
    <section className="flow-settings" aria-label="Flow settings">
      <h2>Flow settings</h2>
      <CodeField
        id="flow-partition-key"
        label="Partition key"
        language="jsonata"
        params={[]}
        value={partitionKey ?? ''}
        description="In a cluster, events whose key is equal run in one partition (data.site: each site's events together). Empty: by the first actor's key, else the event's process."
        {...(problem ? { error: problemText(problem) } : {})}
        fields={fields}
        onChange={setPartitionKey}
      />
    </section>
  );
});
