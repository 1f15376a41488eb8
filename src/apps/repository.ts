import type { Selectable } from 'kysely';
import { badInput, notFound } from '../core/errors.js';
import type { AppsTable } from '../store/tables/apps.js';
import type { Store } from '../store/open.js';
import { validateDefinition, type AppDefinition } from './definition.js';

export interface StoredApp {
  tenant: string;
  id: string;
  title: string;
  description: string;
  createdBy: string;
  latestVersion: number;
  publishedVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

/** The columns of an `apps` row this module reads (the table type lives in src/store/tables/apps.ts). */
type AppRow = Pick<Selectable<AppsTable>, 'tenant' | 'app_id' | 'title' | 'description' | 'created_by' | 'latest_version' | 'published_version' | 'created_at' | 'updated_at'>;

const toStored = (r: AppRow): StoredApp => ({
  tenant: r.tenant,
  id: r.app_id,
  title: r.title,
  description: r.description,
  createdBy: r.created_by,
  latestVersion: Number(r.latest_version),
  publishedVersion: r.published_version === null ? null : Number(r.published_version),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** User-defined apps in the store, always scoped by tenant. Every save adds a version; nothing is overwritten. */
export class AppRepository {
  constructor(private readonly store: Store) {}

  async list(tenant: string): Promise<StoredApp[]> {
    const rows = await this.store.db.selectFrom('apps').selectAll().where('tenant', '=', tenant).orderBy('app_id').execute();
    return rows.map(toStored);
  }

  async find(tenant: string, id: string): Promise<StoredApp | null> {
    const row = await this.store.db.selectFrom('apps').selectAll().where('tenant', '=', tenant).where('app_id', '=', id).executeTakeFirst();
    return row ? toStored(row) : null;
  }

  async definition(tenant: string, id: string, version: number): Promise<AppDefinition> {
    const row = await this.store.db
      .selectFrom('app_versions')
      .select('definition')
      .where('tenant', '=', tenant)
      .where('app_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) throw notFound(`app ${id} has no version ${version}`);
    return validateDefinition(JSON.parse(row.definition), `app ${id} v${version}`);
  }

  async versions(tenant: string, id: string): Promise<{ version: number; createdBy: string; createdAt: string }[]> {
    const rows = await this.store.db
      .selectFrom('app_versions')
      .select(['version', 'created_by', 'created_at'])
      .where('tenant', '=', tenant)
      .where('app_id', '=', id)
      .orderBy('version')
      .execute();
    return rows.map((r) => ({ version: Number(r.version), createdBy: r.created_by, createdAt: r.created_at }));
  }

  /** Save a definition as the next version (the first save creates the app). */
  async save(tenant: string, def: AppDefinition, user: string): Promise<StoredApp> {
    const now = new Date().toISOString();
    return this.store.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('apps').selectAll().where('tenant', '=', tenant).where('app_id', '=', def.id).executeTakeFirst();
      const version = existing ? Number(existing.latest_version) + 1 : 1;
      await trx
        .insertInto('app_versions')
        .values({ tenant, app_id: def.id, version, definition: JSON.stringify({ ...def, tenant }), created_by: user, created_at: now })
        .execute();
      if (existing) {
        await trx
          .updateTable('apps')
          .set({ title: def.title, description: def.description, latest_version: version, updated_at: now })
          .where('tenant', '=', tenant)
          .where('app_id', '=', def.id)
          .execute();
      } else {
        await trx
          .insertInto('apps')
          .values({ tenant, app_id: def.id, title: def.title, description: def.description, created_by: user, latest_version: 1, published_version: null, published_by: null, created_at: now, updated_at: now })
          .execute();
      }
      const row = await trx.selectFrom('apps').selectAll().where('tenant', '=', tenant).where('app_id', '=', def.id).executeTakeFirstOrThrow();
      return toStored(row);
    });
  }

  async publish(tenant: string, id: string, version: number, user: string): Promise<StoredApp> {
    const app = await this.find(tenant, id);
    if (!app) throw notFound(`no app ${id} in tenant ${tenant}`);
    if (version < 1 || version > app.latestVersion) throw badInput(`app ${id} has versions 1–${app.latestVersion}; cannot publish version ${version}`);
    await this.store.db
      .updateTable('apps')
      .set({ published_version: version, published_by: user, updated_at: new Date().toISOString() })
      .where('tenant', '=', tenant)
      .where('app_id', '=', id)
      .execute();
    return (await this.find(tenant, id))!;
  }
}
