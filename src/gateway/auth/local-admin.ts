import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { internalError } from '../../core/errors.js';
import { sha256Hex, type KeyEntry } from './keyring.js';

export const LOCAL_ADMIN_FILE = 'admin-key.json';

interface StoredAdmin {
  sha256: string;
  user: string;
  role: 'admin';
  tenant: string;
  created_at: string;
}

/**
 * When no API keys are configured: the local admin key of this data directory. On first start a
 * random key is created, only its hash is written (mode 0600), and the key is returned once so the
 * caller can print it; afterwards only the hash is loaded.
 */
export function ensureLocalAdminKey(dataDir: string): { entry: KeyEntry; createdKey?: string; file: string } {
  const file = path.join(dataDir, LOCAL_ADMIN_FILE);
  const existing = readLocalAdminKey(dataDir);
  if (existing) return { entry: existing, file };
  const key = `hk-${crypto.randomBytes(24).toString('base64url')}`;
  const stored: StoredAdmin = { sha256: sha256Hex(key), user: 'admin', role: 'admin', tenant: 'default', created_at: new Date().toISOString() };
  fs.mkdirSync(dataDir, { recursive: true });
  // wx: never overwrite a key another process created a moment ago.
  try {
    fs.writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return ensureLocalAdminKey(dataDir);
    throw err;
  }
  return { entry: { sha256: stored.sha256, user: stored.user, role: 'admin', tenant: stored.tenant }, createdKey: key, file };
}

/** The local admin key of this data directory when one was created (its hash), else null; never creates one. */
export function readLocalAdminKey(dataDir: string): KeyEntry | null {
  const file = path.join(dataDir, LOCAL_ADMIN_FILE);
  if (!fs.existsSync(file)) return null;
  // A damaged file is a fault of the installation: named, left as it is (it may be restored from a backup).
  const damaged = (what: string) =>
    internalError(`管理者キーのファイルが壊れています / the local admin key ${file} is damaged (${what}): restore it from a backup, or delete it to have a new admin key created and printed once at the next start`);
  let stored: Partial<StoredAdmin> | null;
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<StoredAdmin> | null;
  } catch (err) {
    if (err instanceof SyntaxError) throw damaged('not JSON');
    throw internalError(`管理者キーのファイルを読めません / cannot read the local admin key ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): give the server read access to it`);
  }
  if (!stored || typeof stored !== 'object' || typeof stored.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(stored.sha256)) throw damaged('no SHA-256 key hash in it');
  return { sha256: stored.sha256, user: typeof stored.user === 'string' && stored.user ? stored.user : 'admin', role: 'admin', tenant: typeof stored.tenant === 'string' && stored.tenant ? stored.tenant : 'default' };
}
