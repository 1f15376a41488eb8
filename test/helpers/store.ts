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
    cases.push({ name: 'postgres', open: () => openStore({ kind: 'postgres', url, schema: `t_${crypto.randomBytes(6).toString('hex')}` }) });
  }
  return cases;
}

/** Drop a test schema on PostgreSQL (no-op on SQLite). */
export async function dropStore(store: Store): Promise<void> {
  const m = /schema (t_[0-9a-f]+)/.exec(store.describe);
  if (store.dialect === 'postgres' && m) {
    const { sql } = await import('kysely');
    await sql.raw(`DROP SCHEMA IF EXISTS ${m[1]} CASCADE`).execute(store.db);
  }
  await store.close();
}
