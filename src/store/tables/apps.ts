import type { Generated } from 'kysely';

/** One user-defined app per tenant and app id; its definitions are in app_versions. */
export interface AppsTable {
  id: Generated<number>;
  tenant: string;
  app_id: string;
  title: string;
  description: string;
  /** User who created the app (may add versions). */
  created_by: string;
  latest_version: number;
  /** Version shown in the tenant catalogue, or null while only a draft. */
  published_version: number | null;
  published_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface AppVersionsTable {
  id: Generated<number>;
  tenant: string;
  app_id: string;
  version: number;
  /** The validated definition as JSON. */
  definition: string;
  created_by: string;
  created_at: string;
}

export interface AppTables {
  apps: AppsTable;
  app_versions: AppVersionsTable;
}
