import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';

export interface RetentionPolicy {
  default: Record<string, number>;
  tenants: Record<string, Record<string, number>>;
}

/** Days content of a `level` event of `tenant` is kept; 0 = never stored. */
export function retentionDays(policy: RetentionPolicy, tenant: string, level: number): number {
  const key = String(level);
  return policy.tenants[tenant]?.[key] ?? policy.default[key] ?? 0;
}

export function expiryTime(time: string, days: number): string {
  return new Date(Date.parse(time) + days * 86_400_000).toISOString();
}

/** The expiry job: delete kept content whose time is up. The chain is never touched. */
export async function expireContent(db: Kysely<Database>, now: Date = new Date()): Promise<number> {
  const res = await db.deleteFrom('audit_content').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(res.numDeletedRows);
}
