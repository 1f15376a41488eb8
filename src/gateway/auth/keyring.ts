import crypto from 'node:crypto';
import { resolveSecret } from '../../config/load.js';
import { expiryMs, keyDigest } from '../../config/sections/auth.js';
import { badInput } from '../../core/errors.js';
import type { Actor, Role } from '../../core/types.js';
import { unauthorized } from '../http-errors.js';

export interface KeyEntry extends Actor {
  /** SHA-256 of the key, hex. The key itself is never kept. */
  sha256: string;
  /** When the key stops working (ms since the epoch); absent: never. */
  expiresAt?: number;
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
  /** The only models the key may use, when it is limited. */
  models?: readonly string[];
  /** ISO 8601, when the key has an expiry. */
  expiresAt?: string;
  expired?: boolean;
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

  /**
   * From config.auth.apiKeys: each entry gives the key (or `env:NAME`, read from the environment) or its
   * SHA-256, and maybe an expiry.
   */
  static fromConfig(
    keys: ReadonlyArray<{ key?: string | undefined; sha256?: string | undefined; user: string; role: Role; tenant: string; expiresAt?: string | undefined; models?: string[] | undefined }>,
    env: NodeJS.ProcessEnv = process.env,
  ): KeyRing {
    return new KeyRing(
      keys.map((k, i) => {
        const key = resolveSecret(k.key, env);
        if (k.key?.startsWith('env:') && key !== undefined && key.length < 8) {
          throw badInput(`auth.apiKeys[${i}].key: the environment variable ${k.key.slice(4)} holds fewer than 8 characters; an API key must be at least 8`);
        }
        const e: KeyEntry = { sha256: keyDigest({ key, sha256: k.sha256 }), user: k.user, role: k.role, tenant: k.tenant };
        if (k.expiresAt !== undefined) e.expiresAt = expiryMs(k.expiresAt);
        if (k.models) e.models = Object.freeze([...k.models]);
        return e;
      }),
    );
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The entries (hashes, never keys), in configuration order: what a reload compares. */
  entries(): readonly KeyEntry[] {
    return [...this.byHash.values()];
  }

  /** Every key the ring accepts, in configuration order, without key material. */
  list(now = Date.now()): KeyListing[] {
    return [...this.byHash.values()].map((e) => {
      const l: KeyListing = { user: e.user, role: e.role, tenant: e.tenant, keyHint: keyHintOf(e.sha256) };
      if (e.models) l.models = e.models;
      if (e.expiresAt !== undefined) {
        l.expiresAt = new Date(e.expiresAt).toISOString();
        l.expired = now >= e.expiresAt;
      }
      return l;
    });
  }

  /** Keys that have expired or will within `withinMs`, for the warning at start. */
  expiring(withinMs: number, now = Date.now()): KeyListing[] {
    return this.list(now).filter((k) => k.expiresAt !== undefined && Date.parse(k.expiresAt) - now <= withinMs);
  }

  /** The actor for a presented key, or null; an expired key is refused with 401 api_key_expired. */
  verify(presented: string): (Actor & { keyId: string }) | null {
    const digest = sha256Hex(presented);
    const entry = this.byHash.get(digest);
    if (!entry) return null;
    const a = Buffer.from(entry.sha256, 'hex');
    const b = Buffer.from(digest, 'hex');
    if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return null;
    if (entry.expiresAt !== undefined && Date.now() >= entry.expiresAt) {
      const at = new Date(entry.expiresAt).toISOString();
      throw unauthorized(`このAPIキー（${keyHintOf(entry.sha256)}）は ${at} に有効期限が切れました。管理者に新しいキーを依頼してください / this API key (${keyHintOf(entry.sha256)}) expired at ${at}; ask your administrator for a new one`, 'api_key_expired');
    }
    const actor: Actor & { keyId: string } = { user: entry.user, role: entry.role, tenant: entry.tenant, keyId: keyIdOf(entry.sha256), credential: keyHintOf(entry.sha256) };
    if (entry.models) actor.models = entry.models;
    return actor;
  }
}
