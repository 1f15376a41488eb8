import crypto from 'node:crypto';

/**
 * Canonical JSON (RFC 8785 for the values we store): object keys sorted by UTF-16 code units,
 * no whitespace, `undefined` members dropped, numbers and strings as JSON.stringify writes them.
 *
 * Every audit event is hashed through this, once per event on the request path, so it avoids
 * per-call garbage: member names (a small, fixed vocabulary) are quoted once and remembered, and the
 * few keys of an object are sorted in place by insertion (`Array.prototype.sort` allocated a work
 * array per object: a tenth of all memory a gateway request allocated).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonical JSON: numbers must be finite');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + (value[i] === undefined ? 'null' : canonicalJson(value[i]));
    return out + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys = sortedKeys(obj);
  let out = '{';
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += (out.length > 1 ? ',' : '') + quoted(k) + ':' + canonicalJson(v);
  }
  return out + '}';
}

/** Keys sorted by UTF-16 code units (what `<` compares): insertion sort for the usual handful, sort() beyond. */
function sortedKeys(obj: Record<string, unknown>): string[] {
  const keys = Object.keys(obj);
  if (keys.length > 32) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

const QUOTED_LIMIT = 4096;
const quotedKeys = new Map<string, string>();
/** JSON.stringify(key), remembered for the first QUOTED_LIMIT distinct keys (member names repeat; values are never cached). */
function quoted(key: string): string {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_LIMIT) quotedKeys.set(key, q);
  }
  return q;
}

export function sha256Hex(data: string | Uint8Array): string {
  return crypto.hash('sha256', data, 'hex');
}
