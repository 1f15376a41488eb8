import crypto from 'node:crypto';
import { expiryMs, roleSchema } from '../../config/sections/auth.js';
import { badInput } from '../../core/errors.js';
import type { Role } from '../../core/types.js';
import { sha256Hex } from './keyring.js';

/** An auth.apiKeys entry that holds only the key's hash. */
export interface HashedKeyEntry {
  sha256: string;
  user: string;
  role: Role;
  tenant: string;
  expiresAt?: string;
}

/** The SHA-256 (hex) an auth.apiKeys entry gives for a key; refuses what could not be a key. */
export function hashKey(key: string): string {
  if (key.length < 8) throw badInput('キーが短すぎます（8文字以上）/ a key is at least 8 characters: give the key as the argument or on stdin');
  return sha256Hex(key);
}

/** A fresh key (hk_ and 43 characters of base64url: 256 random bits) and its config entry. */
export function newKeyEntry(o: { user: string; role: string; tenant: string; expires?: string | undefined }): { key: string; entry: HashedKeyEntry } {
  const role = roleSchema.safeParse(o.role);
  if (!role.success) throw badInput(`--role "${o.role}": use staff, reviewer, admin or auditor`);
  if (!o.user.trim()) throw badInput('--user: name who the key is for');
  if (!o.tenant.trim()) throw badInput('--tenant: name the organisation');
  if (o.expires !== undefined && Number.isNaN(expiryMs(o.expires))) {
    throw badInput(`--expires "${o.expires}" is not a date: use 2027-03-31 (the end of that day in Japan time) or 2027-03-31T17:00:00+09:00`);
  }
  if (o.expires !== undefined && expiryMs(o.expires) <= Date.now()) throw badInput(`--expires "${o.expires}" is already past: give a later date`);
  const key = `hk_${crypto.randomBytes(32).toString('base64url')}`;
  const entry: HashedKeyEntry = { sha256: sha256Hex(key), user: o.user, role: role.data, tenant: o.tenant };
  if (o.expires !== undefined) entry.expiresAt = o.expires;
  return { key, entry };
}
