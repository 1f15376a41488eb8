import { ApiError } from '../api/client';
import type { Citation, Governance } from '../api/types';
import { loadDraft, saveDraft } from '../drafts';

/** One question and its answer on the チャット / 資料QA screen. */
export interface Turn {
  id: number;
  question: string;
  collection: string;
  answer: string;
  citations: Citation[];
  abstained?: boolean;
  gov?: Governance;
  streaming: boolean;
  error?: unknown;
}

/** How many of the latest turns are kept for the tab. */
const KEEP = 50;

interface StoredError {
  message: string;
  name?: string;
  status?: number;
  code?: string;
}

function storeError(err: unknown): StoredError | undefined {
  if (!err) return undefined;
  if (err instanceof ApiError) return { name: 'ApiError', message: err.message, status: err.status, code: err.code };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { message: String(err) };
}

function restoreError(e: StoredError | undefined): unknown {
  if (!e) return undefined;
  if (e.name === 'ApiError') return new ApiError(e.status ?? 0, e.code ?? '', e.message);
  const err = new Error(e.message);
  if (e.name) err.name = e.name;
  return err;
}

/**
 * The conversation of this screen, kept for the tab (sessionStorage, per user, forgotten on logout) so that
 * leaving the screen — to 確認待ち, say — or reloading does not lose it, nor a held answer's 「状態を確認」.
 * An answer that was still streaming when the screen was left was stopped with it: `stopped` says so.
 */
export function loadTurns(user: string, mode: string, stopped: string): Turn[] {
  try {
    const raw: unknown = JSON.parse(loadDraft(user, `${mode}.turns`) ?? '[]');
    if (!Array.isArray(raw)) return [];
    return raw.slice(-KEEP).map((x: Turn & { error?: StoredError }) => {
      const interrupted = x.streaming;
      return { ...x, streaming: false, error: interrupted && !x.error ? new Error(stopped) : restoreError(x.error) };
    });
  } catch {
    return [];
  }
}

export function saveTurns(user: string, mode: string, turns: Turn[]): void {
  const kept = turns.slice(-KEEP).map((x) => ({ ...x, error: storeError(x.error) }));
  saveDraft(user, `${mode}.turns`, kept.length ? JSON.stringify(kept) : null);
}
