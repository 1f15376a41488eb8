import crypto from 'node:crypto';
import { notFound } from '../core/errors.js';
import type { Actor } from '../core/types.js';
import type { Store } from '../store/open.js';

export interface JobView {
  id: string;
  kind: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  report?: unknown;
  error?: string;
}

/**
 * Background jobs kept in the store, so any gateway node can report progress of a job another node runs.
 * Progress writes are throttled (at most every `progressMs`) to keep the store quiet during big ingests.
 */
export class JobStore {
  constructor(
    private readonly store: Store,
    private readonly progressMs = 250,
  ) {}

  async create(actor: Actor, kind: string, total: number): Promise<string> {
    const id = `job_${crypto.randomBytes(9).toString('base64url')}`;
    const now = new Date().toISOString();
    await this.store.db
      .insertInto('gateway_jobs')
      .values({ id, tenant: actor.tenant, user_id: actor.user, kind, state: 'queued', done: 0, total, report: null, error: null, created_at: now, updated_at: now })
      .execute();
    return id;
  }

  /** A progress callback that writes at most every `progressMs`. */
  progress(id: string): (done: number, total: number) => void {
    let last = 0;
    return (done, total) => {
      const now = Date.now();
      if (now - last < this.progressMs && done < total) return;
      last = now;
      void this.update(id, { state: 'running', done, total }, true).catch(() => {});
    };
  }

  async finish(id: string, outcome: { report: unknown } | { error: string }): Promise<void> {
    if ('error' in outcome) await this.update(id, { state: 'failed', error: outcome.error });
    else await this.update(id, { state: 'done', report: JSON.stringify(outcome.report) });
  }

  async get(actor: Actor, id: string): Promise<JobView> {
    const row = await this.store.db.selectFrom('gateway_jobs').selectAll().where('id', '=', id).where('tenant', '=', actor.tenant).executeTakeFirst();
    if (!row) throw notFound(`ジョブ ${id} はありません / job ${id} not found`, { reason: 'job_not_found' });
    return {
      id: row.id,
      kind: row.kind,
      state: row.state as JobView['state'],
      done: Number(row.done),
      total: Number(row.total),
      ...(row.report ? { report: JSON.parse(row.report) } : {}),
      ...(row.error ? { error: row.error } : {}),
    };
  }

  private async update(id: string, fields: Partial<{ state: string; done: number; total: number; report: string; error: string }>, onlyIfOpen = false): Promise<void> {
    let q = this.store.db
      .updateTable('gateway_jobs')
      .set({ ...fields, updated_at: new Date().toISOString() })
      .where('id', '=', id);
    // A late progress write never reopens a finished job.
    if (onlyIfOpen) q = q.where('state', 'in', ['queued', 'running']);
    await q.execute();
  }
}
