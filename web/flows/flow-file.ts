/**
 * Flow JSON files: an export is the flow document without server fields; an import is checked with the shared
 * flow schema, and a bad file is a FlowFileError naming the field.
 */
import { z } from 'zod';
import { FlowInputSchema, settingsOf, type Flow, type FlowDraft } from '../../shared/flow.js';

export class FlowFileError extends Error {
  readonly code = 'invalid_flow_file';
  constructor(message: string) {
    super(message);
    this.name = 'FlowFileError';
  }
}

export function exportFlow(flow: Pick<Flow, 'name' | 'description' | 'partitionKey' | 'nodes' | 'edges'>): string {
  return `${JSON.stringify({ name: flow.name, description: flow.description, ...settingsOf(flow), nodes: flow.nodes, edges: flow.edges }, null, 2)}\n`;
}

export function importFlow(text: string): FlowDraft {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FlowFileError(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = FlowInputSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    const path = issue.path.map(String).join('.');
    throw new FlowFileError(`${path === '' ? 'the file' : path}: ${issue.message}`);
  }
  const { id: _id, revision: _revision, ...draft } = result.data;
  return draft;
}

export const fileName = (name: string) => `${name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'flow'}.json`;
