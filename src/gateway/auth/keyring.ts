import crypto from 'node:crypto';
import type { Actor, Role } from '../../core/types.js';

export interface KeyEntry extends Actor {
  /** SHA-256 of the key, hex. The key itself is never kept. */
  sha256: string;
}

export const sha256Hex = (text: string) => crypto.hash('sha256', text, 'hex');

/** Short non-secret id of a key hash, for logs and rate-limit buckets. */
export const keyIdOf = (sha256: string) => sha256.slice(0, 12);

/**
 * How a key is shown to administrators (GET /api/admin/users): `id:` and the key id above. Derived
 * from the hash, it holds no character of the key (a prefix of the key would hand out part of the secret).
 */
export const keyHintOf = (sha256: string) => `id:${keyIdOf(sha256)}`;

/** One key as an administrator may see it: who it authenticates, never the key. */
export interface KeyListing extends Actor {
  keyHint: string;
}

/**
 * API keys, held only as SHA-256 hashes. A presented key is hashed, looked up by hash and then
 * compared in constant time, so neither the lookup nor the comparison reveals the stored keys.
 */
export class KeyRing {
  private readonly byHash = new Map<string, KeyEntry>();

  constructor(entries: Iterable<KeyEntry>) {
    for (const e of entries) this.byHash.set(e.sha256, e);
  }

  static fromConfig(keys: ReadonlyArray<{ key: string; user: string; role: Role; tenant: string }>): KeyRing {
    return new KeyRing(keys.map((k) => ({ sha256: sha256Hex(k.key), user: k.user, role: k.role, tenant: k.tenant })));
  }

  get size(): number {
    return this.byHash.size;
  }

  /** Every key the ring accepts, in configuration order, without key material. */
  list(): KeyListing[] {
    return [...this.byHash.values()].map((e) => ({ user: e.user, role: e.role, tenant: e.tenant, keyHint: keyHintOf(e.sha256) }));
  }

  /** The actor for a presented key, or null. */
  verify(presented: string): (Actor & { keyId: string }) | null {
    const digest = sha256Hex(presented);
    const entry = this.byHash.get(digest);
    if (!entry) return null;
    const a = Buffer.from(entry.sha256, 'hex');
    const b = Buffer.from(digest, 'hex');
    if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return null;
    return { user: entry.user, role: entry.role, tenant: entry.tenant, keyId: keyIdOf(entry.sha256) };
  }
}
