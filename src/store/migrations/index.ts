import type { Migration, MigrationProvider } from 'kysely';
import { m001Retrieval } from './001_retrieval.js';
import { m010Audit } from './010_audit.js';
import { m011Review } from './011_review.js';
import { m030Apps } from './030_apps.js';
import { m040Gateway } from './040_gateway.js';
import { m050Eval } from './050_eval.js';
import { m060AuditJournal } from './060_audit_journal.js';
import { m070UsageMonthly } from './070_usage_monthly.js';
import { m080AuditLookup } from './080_audit_lookup.js';
import { m090AuditOutcome } from './090_audit_outcome.js';

export interface MigrationContext {
  dialect: 'sqlite' | 'postgres';
}

/**
 * Every migration, in order. Names are permanent: never rename or edit a released migration;
 * add a new one. Migrations use IF NOT EXISTS so a re-run after a crash is safe.
 */
const MIGRATIONS: Record<string, (ctx: MigrationContext) => Migration> = {
  '001_retrieval': m001Retrieval,
  '010_audit': m010Audit,
  '011_review': m011Review,
  '030_apps': m030Apps,
  '040_gateway': m040Gateway,
  '050_eval': m050Eval,
  '060_audit_journal': m060AuditJournal,
  '070_usage_monthly': m070UsageMonthly,
  '080_audit_lookup': m080AuditLookup,
  '090_audit_outcome': m090AuditOutcome,
};

export function migrationProvider(ctx: MigrationContext): MigrationProvider {
  return {
    async getMigrations() {
      return Object.fromEntries(Object.entries(MIGRATIONS).map(([name, make]) => [name, make(ctx)]));
    },
  };
}
