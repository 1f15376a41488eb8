import { api } from './client';
import type { AppSummary } from './types';

export async function listApps(signal?: AbortSignal): Promise<AppSummary[]> {
  const r = await api<AppSummary[] | { apps: AppSummary[] }>('/api/apps', { signal });
  return Array.isArray(r) ? r : (r.apps ?? []);
}
