import { sql, type Kysely } from 'kysely';
import { extend } from '../core/objects.js';
import type { Database } from '../store/database.js';
import type { Store } from '../store/open.js';
import type { AuditHeadTable } from '../store/tables/audit.js';

/**
 * Run `body` in one transaction that holds the chain head exclusively, so every process appending to
 * the same store extends ONE chain.
 * - PostgreSQL: `SELECT … FOR UPDATE` on the head row (other writers wait; READ COMMITTED re-reads the
 *   row they waited for, so each sees the head the previous writer committed).
 * - SQLite: `BEGIN IMMEDIATE` takes the database write lock before the head is read; the commit runs
 *   with `synchronous = FULL`, so an acknowledged event has been fsynced to the WAL (it survives
 *   kill -9 and power loss). The store keeps NORMAL for every other write; group commit pays one
 *   fsync per batch, not per event.
 */
export async function withChainHead<T>(store: Store, body: (db: Kysely<Database>, head: AuditHeadTable) => Promise<T>): Promise<T> {
  if (store.dialect === 'postgres') {
    return store.db.transaction().execute(async (trx) => {
      const head = await trx.selectFrom('audit_head').selectAll().where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
      return body(trx, normalise(head));
    });
  }
  return store.db.connection().execute(async (conn) => {
    const before = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(conn);
    const previous = before.rows[0]?.synchronous ?? 1;
    await sql`PRAGMA synchronous = FULL`.execute(conn);
    try {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      try {
        const head = await conn.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
        const result = await body(conn, normalise(head));
        await sql`COMMIT`.execute(conn);
        return result;
      } catch (err) {
        await sql`ROLLBACK`.execute(conn).catch(() => {});
        throw err;
      }
    } finally {
      await sql.raw(`PRAGMA synchronous = ${Number(previous)}`).execute(conn);
    }
  });
}

const normalise = (h: AuditHeadTable): AuditHeadTable => extend(h, { size: Number(h.size) });
