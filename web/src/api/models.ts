import { api } from './client';
import type { Collection, ModelEntry } from './types';

export async function listModels(signal?: AbortSignal): Promise<ModelEntry[]> {
  const r = await api<{ data?: ModelEntry[] } | ModelEntry[]>('/v1/models', { signal });
  return Array.isArray(r) ? r : (r.data ?? []);
}

export async function listCollections(signal?: AbortSignal): Promise<Collection[]> {
  const r = await api<Collection[] | { collections: Collection[] }>('/api/collections', { signal });
  return Array.isArray(r) ? r : (r.collections ?? []);
}
