import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { openStore, type Store } from '../../src/store/open.js';

export interface StoreCase {
  name: 'sqlite' | 'postgres';
  open(): Promise<Store>;
}

/** A fresh temporary directory, removed at process exit. */
export function tempDir(prefix = 'hiraga-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The backends every store contract test runs on: SQLite always, PostgreSQL when
 * HIRAGA_TEST_DATABASE_URL is set (each open() gets its own fresh schema, so tests never share state).
 */
export function storeCases(): StoreCase[] {
  const cases: StoreCase[] = [{ name: 'sqlite', open: () => openStore({ kind: 'sqlite', file: path.join(tempDir(), 'hiraga.sqlite') }) }];
  const url = process.env.HIRAGA_TEST_DATABASE_URL;
  if (url) {
    cases.push({ name: 'postgres', open: () => openStore({ kind: 'postgres', url, schema: `t_${process.env.HIRAGA_TEST_RUN ?? 'x'}_${crypto.randomBytes(5).toString('hex')}` }) });
  }
  return cases;
}

/**
 * Close a test store. PostgreSQL test schemas are NOT dropped here: dropping a schema while another test file
 * migrates races with Kysely's catalogue introspection. test/helpers/global-setup.ts drops them all once,
 * at the end of the run.
 */
export async function dropStore(store: Store): Promise<void> {
  await store.close();
}

/**
 * A fresh PostgreSQL database (not a schema) on the server of `adminUrl`, for tests that start whole
 * hiraga processes: they migrate it themselves, as on a new installation. `drop()` removes it (FORCE).
 */
export async function freshPostgresDatabase(adminUrl: string, prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const { default: pg } = await import('pg');
  const name = `${prefix}_${process.env.HIRAGA_TEST_RUN ?? 'x'}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return { name, url: u.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
