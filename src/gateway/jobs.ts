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
  /** When the job was created and last heard of (ISO 8601). */
  createdAt: string;
  updatedAt: string;
}

export interface JobStoreOptions {
  /** Progress is written at most this often (ms). */
  progressMs?: number;
  /** A running job's node says it is alive this often (ms), so a reader can tell a slow job from a dead one. */
  heartbeatMs?: number;
  /** A queued or running job not heard of for this long (ms) was left by a node that stopped: it is failed. */
  staleMs?: number;
}

const OPEN_STATES = ['queued', 'running'];

/**
 * Background jobs kept in the store, so any gateway node can report progress of a job another node runs.
 * Progress writes are throttled (at most every `progressMs`) to keep the store quiet during big ingests.
 * While a job runs, its node touches it every `heartbeatMs`; a job nobody has touched for `staleMs` (its node
 * was killed or lost power mid-way) is reported, and recorded, as failed, so nobody waits on it for ever.
 */
export class JobStore {
  private readonly progressMs: number;
  private readonly heartbeatMs: number;
  private readonly staleMs: number;
  private readonly beats = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: Store,
    opts: JobStoreOptions = {},
  ) {
    this.progressMs = opts.progressMs ?? 250;
    this.heartbeatMs = opts.heartbeatMs ?? 10_000;
    this.staleMs = opts.staleMs ?? 120_000;
  }

  async create(actor: Actor, kind: string, total: number): Promise<string> {
    const id = `job_${crypto.randomBytes(9).toString('base64url')}`;
    const now = new Date().toISOString();
    await this.store.db
      .insertInto('gateway_jobs')
      .values({ id, tenant: actor.tenant, user_id: actor.user, kind, state: 'queued', done: 0, total, report: null, error: null, created_at: now, updated_at: now })
      .execute();
    const beat = setInterval(() => void this.update(id, {}, true).catch(() => {}), this.heartbeatMs);
    beat.unref();
    this.beats.set(id, beat);
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
    clearInterval(this.beats.get(id));
    this.beats.delete(id);
    if ('error' in outcome) await this.update(id, { state: 'failed', error: outcome.error });
    else await this.update(id, { state: 'done', report: JSON.stringify(outcome.report) });
  }

  async get(actor: Actor, id: string): Promise<JobView> {
    const row = await this.store.db.selectFrom('gateway_jobs').selectAll().where('id', '=', id).where('tenant', '=', actor.tenant).executeTakeFirst();
    if (!row) throw notFound(`ジョブ ${id} はありません / job ${id} not found`, { reason: 'job_not_found' });
    let { state, error, updated_at: updatedAt } = row;
    if (OPEN_STATES.includes(state) && Date.now() - Date.parse(updatedAt) > this.staleMs) {
      // Its node stopped without finishing it. Recorded only if nobody touched it since it was read.
      state = 'failed';
      error = `中断されました（${updatedAt} 以降、処理していたノードから応答がありません）。もう一度アップロードしてください。取り込み済みで変わらないファイルは飛ばされます / interrupted: the node running this job stopped (last heard of at ${updatedAt}); upload the files again — files already ingested and unchanged are skipped`;
      const now = new Date().toISOString();
      const r = await this.store.db
        .updateTable('gateway_jobs')
        .set({ state, error, updated_at: now })
        .where('id', '=', id)
        .where('state', 'in', OPEN_STATES)
        .where('updated_at', '=', updatedAt)
        .executeTakeFirst();
      // Touched or finished meanwhile: it was alive after all; read it again.
      if (Number(r.numUpdatedRows) === 0) return this.get(actor, id);
      updatedAt = now;
    }
    return {
      id: row.id,
      kind: row.kind,
      state: state as JobView['state'],
      done: Number(row.done),
      total: Number(row.total),
      ...(row.report ? { report: JSON.parse(row.report) } : {}),
      ...(error ? { error } : {}),
      createdAt: row.created_at,
      updatedAt,
    };
  }

  private async update(id: string, fields: Partial<{ state: string; done: number; total: number; report: string; error: string }>, onlyIfOpen = false): Promise<void> {
    let q = this.store.db
      .updateTable('gateway_jobs')
      .set({ ...fields, updated_at: new Date().toISOString() })
      .where('id', '=', id);
    // A late progress write never reopens a finished job.
    if (onlyIfOpen) q = q.where('state', 'in', OPEN_STATES);
    await q.execute();
  }
}
