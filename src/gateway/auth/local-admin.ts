import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
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
  const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredAdmin;
  if (!/^[0-9a-f]{64}$/.test(stored.sha256)) throw new Error(`${file} does not hold a SHA-256 key hash; delete it to create a new admin key`);
  return { sha256: stored.sha256, user: stored.user, role: 'admin', tenant: stored.tenant };
}
