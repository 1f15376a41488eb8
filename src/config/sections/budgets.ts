import { z } from 'zod';

export const budgetLimitSchema = z
  .object({
    /** JPY a tenant may spend in a calendar month (Japan time), priced by each model's priceInputPer1k/priceOutputPer1k. */
    monthlyJpy: z.number().nonnegative().optional(),
    /** Tokens (prompt + completion) a tenant may use in a calendar month (Japan time). */
    monthlyTokens: z.number().int().nonnegative().optional(),
  })
  .strict()
  .refine((b) => b.monthlyJpy !== undefined || b.monthlyTokens !== undefined, 'set monthlyJpy, monthlyTokens or both');

/**
 * Monthly spending limits per tenant (organisation). A tenant at or over its limit gets 429
 * `budget_exceeded` on every call that would reach a model (chat, embeddings, ask, apps) until the next
 * month begins in Japan time or an administrator raises the limit. Spend is kept in the database with the
 * usage records (usage_monthly), so it survives restarts and is shared by every node on one database.
 */
export const budgetsSchema = z
  .object({
    /** The limit of every tenant not listed in `tenants`; absent: no limit for them. */
    default: budgetLimitSchema.optional(),
    /** Limits by tenant id. */
    tenants: z.record(z.string().min(1), budgetLimitSchema).default({}),
    /**
     * How often each node re-reads the month's spend from the database (ms). A node counts its own calls at
     * once; other nodes' calls reach it at the next read, so a tenant can overshoot by what the other nodes
     * spend in this time.
     */
    refreshMs: z.number().int().min(100).max(3_600_000).default(5_000),
  })
  .strict()
  .prefault({});

export type BudgetLimit = z.infer<typeof budgetLimitSchema>;
export type BudgetsConfig = z.infer<typeof budgetsSchema>;

/**
 * The limit of one tenant: its own, else the default, else none. Tenant names come from API keys and identity
 * providers, so a name like "constructor" must not find a property of Object.prototype.
 */
export function budgetLimitOf(config: BudgetsConfig, tenant: string): BudgetLimit | undefined {
  return Object.hasOwn(config.tenants, tenant) ? config.tenants[tenant] : config.default;
}
