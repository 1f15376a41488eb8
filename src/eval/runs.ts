import type { Store } from '../store/open.js';
import type { ResultsDocument } from './report/results.js';

/** Run records, so the server can list runs and serve their reports (GET /api/eval/runs). */
export async function startRunRecord(store: Store, r: { path: string; sha256: string; fileSha256: string; sealed: boolean; models: string[]; items: number; started: string }): Promise<number> {
  const row = await store.db
    .insertInto('eval_runs')
    .values({ suite_path: r.path, suite_sha256: r.sha256, file_sha256: r.fileSha256, sealed: r.sealed ? 1 : 0, models: JSON.stringify(r.models), items: r.items, status: 'running', started_at: r.started, finished_at: null, results: null, report_html: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function finishRunRecord(store: Store, id: number, status: 'finished' | 'interrupted', doc: ResultsDocument, html: string): Promise<void> {
  await store.db.updateTable('eval_runs').set({ status, finished_at: new Date().toISOString(), results: JSON.stringify(doc), report_html: html }).where('id', '=', id).execute();
}

export interface RunSummary {
  id: number;
  suite_path: string;
  suite_sha256: string;
  file_sha256: string;
  sealed: boolean;
  models: string[];
  items: number;
  status: string;
  started_at: string;
  finished_at: string | null;
}

export async function listRuns(store: Store, limit = 100): Promise<RunSummary[]> {
  const rows = await store.db.selectFrom('eval_runs').select(['id', 'suite_path', 'suite_sha256', 'file_sha256', 'sealed', 'models', 'items', 'status', 'started_at', 'finished_at']).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), sealed: Boolean(r.sealed), models: JSON.parse(r.models) as string[] }));
}

/** The stored HTML report of a run, or null. */
export async function runReport(store: Store, id: number): Promise<string | null> {
  const row = await store.db.selectFrom('eval_runs').select('report_html').where('id', '=', id).executeTakeFirst();
  return row?.report_html ?? null;
}
