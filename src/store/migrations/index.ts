import type { Migration, MigrationProvider } from 'kysely';
import { m001Retrieval } from './001_retrieval.js';

export interface MigrationContext {
  dialect: 'sqlite' | 'postgres';
}

/**
 * Every migration, in order. Names are permanent: never rename or edit a released migration;
 * add a new one. Migrations use IF NOT EXISTS so a re-run after a crash is safe.
 */
const MIGRATIONS: Record<string, (ctx: MigrationContext) => Migration> = {
  '001_retrieval': m001Retrieval,
};

export function migrationProvider(ctx: MigrationContext): MigrationProvider {
  return {
    async getMigrations() {
      return Object.fromEntries(Object.entries(MIGRATIONS).map(([name, make]) => [name, make(ctx)]));
    },
  };
}
