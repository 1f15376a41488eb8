import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Database } from '../store/database.js';
import { auditFieldSql, type AuditRecordField } from '../store/migrations/080_audit_lookup.js';
import { exceptionalOutcomeSql, ROUTINE_OUTCOMES } from '../store/migrations/090_audit_outcome.js';
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
  /** Only this user's events (the actor's user id). */
  user?: string;
  /** Only events of this credential (`actor.credential`, e.g. `id:0123456789ab` as 管理 lists the key). */
  credential?: string;
  /** Only events with this outcome (allow, mask, block, review, error, cancelled…). */
  outcome?: string;
  /** Only events of this model id. */
  model?: string;
  /** Paging: only events with id < before (newest first) or id > after (oldest first). */
  before?: number;
  after?: number;
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

const RECORD_FIELDS: readonly AuditRecordField[] = ['credential', 'outcome', 'model'];

const isRoutine = (outcome: string): boolean => (ROUTINE_OUTCOMES as readonly string[]).includes(outcome);

/** The page of events a query asks for (ids, records, hashes), as SQL not yet run. */
export function eventsQuery(db: Kysely<Database>, q: AuditQuery, dialect: 'sqlite' | 'postgres') {
  const limit = Math.min(Math.max(q.limit ?? 100, 1), 10_000);
  let query = applyFilter(db.selectFrom('audit_events').select(['id', 'record', 'hash']), q);
  if (q.user !== undefined) query = query.where('audit_events.user_id', '=', q.user);
  for (const field of RECORD_FIELDS) {
    const value = q[field];
    if (value !== undefined) query = query.where(auditFieldSql(dialect, field), '=', value);
  }
  // A rare outcome (block, review, error…) is found through migration 090's partial index, which a planner
  // uses only when the query repeats the index's predicate (true anyway for such an outcome).
  if (q.outcome !== undefined && !isRoutine(q.outcome)) query = query.where(exceptionalOutcomeSql(dialect));
  if (q.before !== undefined) query = query.where('audit_events.id', '<', q.before);
  if (q.after !== undefined) query = query.where('audit_events.id', '>', q.after);
  return query.orderBy('id', q.order ?? 'desc').limit(limit);
}

export async function queryEvents(db: Kysely<Database>, q: AuditQuery, dialect: 'sqlite' | 'postgres'): Promise<AuditEventRecord[]> {
  const rows = await eventsQuery(db, q, dialect).execute();
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

/**
 * When each credential last appears in the trail (ISO time of its newest event), for 管理's key list. One
 * index lookup per credential (migration 080's expression index); credentials never seen are left out.
 */
export async function lastSeen(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', credentials: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const field = auditFieldSql(dialect, 'credential');
  for (const credential of new Set(credentials)) {
    const row = await db.selectFrom('audit_events').select('time').where(field, '=', credential).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (row) out.set(credential, row.time);
  }
  return out;
}
