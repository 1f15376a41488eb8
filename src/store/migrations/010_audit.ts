import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

export function m010Audit({ dialect }: MigrationContext) {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('audit_events')
        .ifNotExists()
        .addColumn('id', big, (c) => c.primaryKey())
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_events_time').ifNotExists().on('audit_events').column('time').execute();
      await db.schema.createIndex('audit_events_tenant').ifNotExists().on('audit_events').columns(['tenant', 'id']).execute();
      await db.schema
        .createTable('audit_content')
        .ifNotExists()
        .addColumn('event_id', big, (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('input', 'text')
        .addColumn('output', 'text')
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_content_expires').ifNotExists().on('audit_content').column('expires_at').execute();
      await db.schema
        .createTable('audit_head')
        .ifNotExists()
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('size', big, (c) => c.notNull())
        .addColumn('last_hash', 'text', (c) => c.notNull())
        .addColumn('frontier', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('audit_checkpoints')
        .ifNotExists()
        .addColumn('tree_size', big, (c) => c.primaryKey())
        .addColumn('root', 'text', (c) => c.notNull())
        .addColumn('head_hash', 'text', (c) => c.notNull())
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .execute();
      const genesis = '0'.repeat(64);
      const exists = await db.selectFrom('audit_head').select('id').where('id', '=', 1).executeTakeFirst();
      if (!exists) await db.insertInto('audit_head').values({ id: 1, size: 0, last_hash: genesis, frontier: '[]' }).execute();
    },
  };
}
