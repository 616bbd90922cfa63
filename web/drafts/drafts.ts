/** Autosaved drafts: written after every edit, offered back after a reload, dropped once saved or discarded. */
import { DraftDatabase, type Draft } from './db.js';

let db: DraftDatabase | null = null;
const database = () => (db ??= new DraftDatabase());

export const saveDraft = async (draft: Omit<Draft, 'savedAt'>): Promise<void> => {
  await database().drafts.put({ ...draft, savedAt: new Date().toISOString() });
};

export const loadDraft = async (flowId: string): Promise<Draft | null> => (await database().drafts.get(flowId)) ?? null;

export const discardDraft = async (flowId: string): Promise<void> => {
  await database().drafts.delete(flowId);
};

export const listDrafts = async (): Promise<Draft[]> => database().drafts.orderBy('savedAt').reverse().toArray();
