import type { Store } from '../store/open.js';
import { extend } from '../core/objects.js';
import type { TokenUsage } from '../core/types.js';
import { usageWriterFor, type UsageWriter } from './usage-writer.js';

export interface UsageEntry {
  time?: string;
  tenant: string;
  user: string;
  app?: string | undefined;
  model: string;
  usage: TokenUsage;
  costJpy: number;
  energyWh: number;
  latencyMs: number;
  auditId?: number | undefined;
}

export type UsageGroup = 'tenant' | 'app' | 'model' | 'user';

export interface UsageQuery {
  /** Restrict to one tenant (undefined = all tenants; only for ministry-wide admins). */
  tenant: string | undefined;
  /** Restrict to one user's calls. */
  user?: string;
  groupBy: UsageGroup;
  from?: string;
  to?: string;
  bucket?: 'day' | 'all';
}

export interface UsageRow {
  key: string;
  bucket: string;
  calls: number;
  tokens: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost_jpy: number;
  energy_wh: number;
}

const COLUMN: Record<UsageGroup, 'tenant' | 'app' | 'model' | 'user_id'> = { tenant: 'tenant', app: 'app', model: 'model', user: 'user_id' };

export interface UsageLedgerOptions {
  /** Buffered rows are written at least this often (default 100 ms). */
  flushMs?: number;
  /** Rows per write (default 64): a write holds the event loop (SQLite) for about 10 µs a row, so batches stay small. */
  maxBatch?: number;
  onError?: (err: unknown) => void;
  /** Every entry as it is recorded (budgets count it at once, before it is written). */
  onRecord?: (entry: UsageEntry) => void;
  /** Where rows go (default: the writer fitting the store, see usage-writer.ts). */
  writer?: UsageWriter;
}

/**
 * Accounting of governed calls. Records are buffered and written in small batches (every `flushMs` or
 * `maxBatch` rows, and on close), so accounting never sits on a request's critical path nor holds
 * the event loop long enough to show in other requests' latency; the audit event, which is durable
 * before the response, carries the same numbers.
 */
export class UsageLedger {
  private buffer: UsageEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly writer: UsageWriter;

  constructor(
    private readonly store: Store,
    private readonly options: UsageLedgerOptions = {},
  ) {
    this.writer = options.writer ?? usageWriterFor(store);
  }

  record(entry: UsageEntry): void {
    this.buffer.push(extend(entry, { time: entry.time ?? new Date().toISOString() }));
    this.options.onRecord?.(entry);
    if (this.buffer.length >= (this.options.maxBatch ?? 64)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs ?? 100);
  }

  /** Write everything buffered so far. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    if (!batch.length) return this.flushing;
    const rows = batch.map((e) => ({
      time: e.time!,
      day: e.time!.slice(0, 10),
      tenant: e.tenant,
      user_id: e.user,
      app: e.app ?? '',
      model: e.model,
      prompt_tokens: e.usage.prompt_tokens,
      completion_tokens: e.usage.completion_tokens,
      total_tokens: e.usage.total_tokens,
      cost_jpy: e.costJpy,
      energy_wh: e.energyWh,
      latency_ms: Math.round(e.latencyMs),
      audit_id: e.auditId ?? null,
    }));
    this.flushing = this.flushing.then(() =>
      this.writer.write(rows).then(
        () => undefined,
        (err) => this.options.onError?.(err),
      ),
    );
    return this.flushing;
  }

  async query(q: UsageQuery): Promise<UsageRow[]> {
    await this.flush();
    const col = COLUMN[q.groupBy];
    const byDay = (q.bucket ?? 'day') === 'day';
    let query = this.store.db
      .selectFrom('usage_records')
      .select((eb) => [
        eb.ref(col).as('key'),
        ...(byDay ? [eb.ref('day').as('bucket')] : []),
        eb.fn.countAll<number>().as('calls'),
        eb.fn.sum<number>('total_tokens').as('tokens'),
        eb.fn.sum<number>('prompt_tokens').as('prompt_tokens'),
        eb.fn.sum<number>('completion_tokens').as('completion_tokens'),
        eb.fn.sum<number>('cost_jpy').as('cost_jpy'),
        eb.fn.sum<number>('energy_wh').as('energy_wh'),
      ])
      .groupBy(byDay ? [col, 'day'] : [col])
      .orderBy(col);
    if (byDay) query = query.orderBy('day');
    if (q.tenant !== undefined) query = query.where('tenant', '=', q.tenant);
    if (q.user !== undefined) query = query.where('user_id', '=', q.user);
    if (q.from) query = query.where('time', '>=', q.from);
    if (q.to) query = query.where('time', '<', q.to);
    const rows = (await query.execute()) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      key: String(r.key),
      bucket: byDay ? String(r.bucket) : 'all',
      calls: Number(r.calls),
      tokens: Number(r.tokens ?? 0),
      prompt_tokens: Number(r.prompt_tokens ?? 0),
      completion_tokens: Number(r.completion_tokens ?? 0),
      cost_jpy: Math.round(Number(r.cost_jpy ?? 0) * 1e6) / 1e6,
      energy_wh: Math.round(Number(r.energy_wh ?? 0) * 1e6) / 1e6,
    }));
  }

  /**
   * One tenant's spend in a month (`YYYY-MM`, Japan time; what is buffered is written first): what budgets
   * count. One row of usage_monthly, which the writers keep with the records.
   */
  async spent(tenant: string, month: string): Promise<{ jpy: number; tokens: number }> {
    await this.flush();
    const r = await this.store.db.selectFrom('usage_monthly').select(['cost_jpy', 'tokens']).where('tenant', '=', tenant).where('month', '=', month).executeTakeFirst();
    return { jpy: Number(r?.cost_jpy ?? 0), tokens: Number(r?.tokens ?? 0) };
  }

  async close(): Promise<void> {
    await this.flush();
    await this.writer.close();
  }
}
