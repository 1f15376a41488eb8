import type { Actor } from '../../core/types.js';
import type { KeyEntry, KeyListing, KeyRing } from './keyring.js';
import { keyHintOf } from './keyring.js';

/** What a swap changed, by key id (`id:…`, as 管理 lists keys) — never key material. */
export interface KeySetChange {
  added: string[];
  removed: string[];
  /** Same key, another user, role, tenant, models or expiry. */
  changed: string[];
  /** The tenant of each key id above (for a changed key, both its old and new tenant count). */
  tenants: Map<string, string[]>;
}

const sameEntry = (a: KeyEntry, b: KeyEntry) =>
  a.user === b.user && a.role === b.role && a.tenant === b.tenant && a.expiresAt === b.expiresAt && (a.models ?? []).join('\n') === (b.models ?? []).join('\n');

/**
 * The API keys in force, replaceable while the gateway runs (SIGHUP, POST /api/admin/reload-keys). Every
 * lookup reads one reference to an immutable KeyRing, and a swap replaces that reference with a ring built
 * whole beforehand: no lookup ever sees a half-built table. A request keeps the actor its lookup returned, so
 * requests and streams in flight finish under the identity they started with; a removed key is refused on
 * its next request.
 */
export class LiveKeys {
  private ring: KeyRing;

  constructor(ring: KeyRing) {
    this.ring = ring;
  }

  /** Put `next` in force; says which keys it added, removed or changed. */
  swap(next: KeyRing): KeySetChange {
    const before = new Map(this.ring.entries().map((e) => [e.sha256, e]));
    const after = new Map(next.entries().map((e) => [e.sha256, e]));
    const change: KeySetChange = { added: [], removed: [], changed: [], tenants: new Map() };
    for (const [hash, e] of after) {
      const old = before.get(hash);
      if (!old) change.added.push(keyHintOf(hash));
      else if (!sameEntry(old, e)) change.changed.push(keyHintOf(hash));
      else continue;
      change.tenants.set(keyHintOf(hash), old && old.tenant !== e.tenant ? [old.tenant, e.tenant] : [e.tenant]);
    }
    for (const [hash, e] of before) {
      if (after.has(hash)) continue;
      change.removed.push(keyHintOf(hash));
      change.tenants.set(keyHintOf(hash), [e.tenant]);
    }
    this.ring = next;
    return change;
  }

  get size(): number {
    return this.ring.size;
  }

  verify(presented: string): (Actor & { keyId: string }) | null {
    return this.ring.verify(presented);
  }

  list(now?: number): KeyListing[] {
    return this.ring.list(now);
  }

  expiring(withinMs: number, now?: number): KeyListing[] {
    return this.ring.expiring(withinMs, now);
  }
}
