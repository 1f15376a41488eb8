import { budgetLimitOf, type BudgetLimit, type BudgetsConfig } from '../../config/sections/budgets.js';
import { HiragaError } from '../../core/errors.js';
import { JST_OFFSET_MS as JST_MS, jstMonth } from '../../core/jst.js';
import type { Actor } from '../../core/types.js';

/** Money and tokens spent. */
export interface Spend {
  jpy: number;
  tokens: number;
}

/** Where a month's spend (`YYYY-MM`, Japan time) is read from: the usage ledger (flushed first). */
export interface SpendSource {
  spent(tenant: string, month: string): Promise<Spend>;
}

/** A tenant's budget as GET /api/budget shows it. */
export interface BudgetStatus {
  tenant: string;
  /** The month counted, `YYYY-MM` in Japan time. */
  month: string;
  /** When the month's count started and when it starts over (ISO 8601, UTC). */
  from: string;
  resetsAt: string;
  limit: BudgetLimit | null;
  spent: Spend;
  remaining: { jpy?: number; tokens?: number };
  exceeded: boolean;
}

interface TenantSpend {
  tenant: string;
  month: string;
  /** The month's spend in the database at the last read. */
  base: Spend;
  /** This node's spend recorded since the last read. */
  local: Spend;
  /** The read in progress (the first one is awaited by calls; later ones run in the background). */
  reading: Promise<void> | null;
  ready: boolean;
}

export { jstMonth };

const yen = (n: number) => `¥${Math.round(n).toLocaleString('en-US')}`;
const count = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Monthly budgets per tenant (config `budgets`). The check is a map lookup on the request path: each node
 * keeps the month's spend of the tenants it serves, read from the database (usage_monthly, one row) when a
 * tenant is first seen and every `refreshMs` after, plus its own calls since the last read.
 */
export class Budgets {
  private readonly tenants = new Map<string, TenantSpend>();
  private timer: NodeJS.Timeout | null = null;
  /** The current month, computed again only when it ends (the check stays a map lookup). */
  private month = { key: '', start: 0, end: 0 };

  constructor(
    private readonly config: BudgetsConfig,
    private readonly source: SpendSource,
    private readonly options: { now?: () => number; onError?: (err: unknown) => void } = {},
  ) {}

  /** Whether any tenant has a limit (when none has, the gateway does no budget work at all). */
  get enabled(): boolean {
    return this.config.default !== undefined || Object.keys(this.config.tenants).length > 0;
  }

  limitOf(tenant: string): BudgetLimit | undefined {
    return budgetLimitOf(this.config, tenant);
  }

  /** Refuses (429 `budget_exceeded`) a call from a tenant at or over its limit; a promise only while its spend is first read. */
  admit(actor: Pick<Actor, 'tenant'>): void | Promise<void> {
    const limit = this.limitOf(actor.tenant);
    if (!limit) return;
    const s = this.current(actor.tenant);
    if (s.ready) return this.check(actor.tenant, limit, s);
    return s.reading!.then(() => this.check(actor.tenant, limit, s));
  }

  /** Counts a finished call (from the usage ledger) against its tenant's month. */
  record(tenant: string, jpy: number, tokens: number): void {
    const s = this.tenants.get(tenant);
    if (!s || s.month !== this.thisMonth().key) return;
    s.local.jpy += jpy;
    s.local.tokens += tokens;
  }

  async status(tenant: string): Promise<BudgetStatus> {
    const limit = this.limitOf(tenant) ?? null;
    const month = jstMonth(this.now());
    let spent: Spend;
    if (limit) {
      const s = this.current(tenant);
      if (!s.ready) await s.reading;
      spent = total(s);
    } else spent = await this.source.spent(tenant, month.key);
    const remaining: BudgetStatus['remaining'] = {};
    if (limit?.monthlyJpy !== undefined) remaining.jpy = Math.max(0, limit.monthlyJpy - spent.jpy);
    if (limit?.monthlyTokens !== undefined) remaining.tokens = Math.max(0, limit.monthlyTokens - spent.tokens);
    return {
      tenant,
      month: month.key,
      from: new Date(month.start).toISOString(),
      resetsAt: new Date(month.end).toISOString(),
      limit,
      spent: { jpy: Math.round(spent.jpy * 1e6) / 1e6, tokens: spent.tokens },
      remaining,
      exceeded: limit ? over(limit, spent) !== null : false,
    };
  }

  /** The month's spend of every tenant with a budget that this node has read (for /metrics). */
  snapshot(): Array<{ tenant: string; limit: BudgetLimit; spent: Spend }> {
    const month = this.thisMonth().key;
    const out: Array<{ tenant: string; limit: BudgetLimit; spent: Spend }> = [];
    for (const s of this.tenants.values()) {
      const limit = this.limitOf(s.tenant);
      if (s.ready && s.month === month && limit) out.push({ tenant: s.tenant, limit, spent: total(s) });
    }
    return out;
  }

  /** Re-reads every known tenant's spend every `refreshMs` (other nodes' calls show up then). */
  start(): void {
    if (this.timer || !this.enabled) return;
    this.timer = setInterval(() => void this.refresh(), this.config.refreshMs);
    this.timer.unref();
  }

  /** Re-reads every known tenant's spend now. */
  async refresh(): Promise<void> {
    await Promise.all([...this.tenants.keys()].map((t) => this.reread(this.current(t))));
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private thisMonth(): { key: string; start: number; end: number } {
    const now = this.now();
    if (now >= this.month.end || now < this.month.start) this.month = jstMonth(now);
    return this.month;
  }

  /** The tenant's spend this month, starting a read when the tenant is new here or the month has turned. */
  private current(tenant: string): TenantSpend {
    const month = this.thisMonth();
    let s = this.tenants.get(tenant);
    if (!s || s.month !== month.key) {
      s = { tenant, month: month.key, base: { jpy: 0, tokens: 0 }, local: { jpy: 0, tokens: 0 }, reading: null, ready: false };
      this.tenants.set(tenant, s);
      s.reading = this.load(s);
    }
    return s;
  }

  private async load(s: TenantSpend): Promise<void> {
    // What this node counted before the read began is in the records the read sees (the source flushes
    // them first); what it counts meanwhile is not, and stays in `local`.
    const counted = { ...s.local };
    try {
      s.base = await this.source.spent(s.tenant, s.month);
      s.local.jpy -= counted.jpy;
      s.local.tokens -= counted.tokens;
      s.ready = true;
    } catch (err) {
      if (!s.ready && this.tenants.get(s.tenant) === s) this.tenants.delete(s.tenant); // the next call tries again
      throw err;
    } finally {
      s.reading = null;
    }
  }

  /** A background read: a failure keeps the last figures (and is reported), the next read tries again. */
  private reread(s: TenantSpend): Promise<void> {
    s.reading ??= this.load(s).catch((err) => this.options.onError?.(err));
    return s.reading;
  }

  private check(tenant: string, limit: BudgetLimit, s: TenantSpend): void {
    const spent = total(s);
    const which = over(limit, spent);
    if (!which) return;
    const month = jstMonth(this.now());
    const resets = new Date(month.end);
    const resetDay = new Date(month.end + JST_MS).toISOString().slice(0, 10);
    const [ja, en] =
      which === 'jpy'
        ? [`今月の利用額の上限（${yen(limit.monthlyJpy!)}）に達しました（今月の利用額 ${yen(spent.jpy)}）`, `its monthly budget of ${yen(limit.monthlyJpy!)} (spent ${yen(spent.jpy)} in ${month.key}, Japan time)`]
        : [`今月のトークン数の上限（${count(limit.monthlyTokens!)}）に達しました（今月 ${count(spent.tokens)}）`, `its monthly token budget of ${count(limit.monthlyTokens!)} (used ${count(spent.tokens)} in ${month.key}, Japan time)`];
    throw new HiragaError(
      'rate_limited',
      `組織（テナント）「${tenant}」は${ja}。${resetDay}（日本時間）から再び利用できます。上限は管理者が budgets で変更できます。/ Tenant "${tenant}" has reached ${en}; calls resume on ${resetDay} (Japan time), or an administrator raises budgets.tenants["${tenant}"].`,
      {
        reason: 'budget_exceeded',
        retryable: false,
        details: { scope: 'tenant', budget: which === 'jpy' ? 'monthlyJpy' : 'monthlyTokens', retryAfterSeconds: Math.max(1, Math.ceil((resets.getTime() - this.now()) / 1000)) },
      },
    );
  }
}

const total = (s: TenantSpend): Spend => ({ jpy: s.base.jpy + s.local.jpy, tokens: s.base.tokens + s.local.tokens });

function over(limit: BudgetLimit, spent: Spend): 'jpy' | 'tokens' | null {
  if (limit.monthlyJpy !== undefined && spent.jpy >= limit.monthlyJpy) return 'jpy';
  if (limit.monthlyTokens !== undefined && spent.tokens >= limit.monthlyTokens) return 'tokens';
  return null;
}
