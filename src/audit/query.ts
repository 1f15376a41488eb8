import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Database } from '../store/database.js';
import type { AuditEventRecord } from './types.js';

export interface AuditFilter {
  /** ISO time, inclusive. */
  from?: string;
  /** ISO time, exclusive. */
  to?: string;
  tenant?: string;
  action?: string;
  /** Only events with id ≤ this (a snapshot). */
  maxId?: number;
}

export interface AuditQuery extends AuditFilter {
  limit?: number;
  /** Newest first (default) or oldest first. */
  order?: 'asc' | 'desc';
  /** Include kept content (admins); auditors get the view without content. */
  includeContent?: boolean;
}

export function applyFilter<O>(q: SelectQueryBuilder<Database, 'audit_events', O>, f: AuditFilter): SelectQueryBuilder<Database, 'audit_events', O> {
  if (f.from) q = q.where('audit_events.time', '>=', f.from);
  if (f.to) q = q.where('audit_events.time', '<', f.to);
  if (f.tenant) q = q.where('audit_events.tenant', '=', f.tenant);
  if (f.action) q = q.where('audit_events.action', '=', f.action);
  if (f.maxId !== undefined) q = q.where('audit_events.id', '<=', f.maxId);
  return q;
}

export function toRecord(row: { id: number; record: string; hash: string }): AuditEventRecord {
  const rec = JSON.parse(row.record) as AuditEventRecord;
  return { ...rec, id: Number(row.id), hash: row.hash };
}

export async function queryEvents(db: Kysely<Database>, q: AuditQuery): Promise<AuditEventRecord[]> {
  const limit = Math.min(Math.max(q.limit ?? 100, 1), 10_000);
  const rows = await applyFilter(db.selectFrom('audit_events').select(['id', 'record', 'hash']), q)
    .orderBy('id', q.order ?? 'desc')
    .limit(limit)
    .execute();
  const events = rows.map(toRecord);
  if (!q.includeContent || !events.length) return events;
  const kept = await db
    .selectFrom('audit_content')
    .selectAll()
    .where(
      'event_id',
      'in',
      events.map((e) => e.id),
    )
    .where('expires_at', '>', new Date().toISOString())
    .execute();
  const byId = new Map(kept.map((c) => [Number(c.event_id), c]));
  return events.map((e) => {
    const c = byId.get(e.id);
    if (!c) return e;
    const content: { input?: string; output?: string } = {};
    if (c.input !== null) content.input = c.input;
    if (c.output !== null) content.output = c.output;
    return { ...e, content };
  });
}
