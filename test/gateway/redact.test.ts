/**
 * What the gateway writes to its log and error answers never carries a secret: configured ones verbatim, and
 * anything shaped like one — a bearer token, an API key (a vendor's sk-…, hiraga's own hk_… from
 * `hiraga keys new`, which a config holding only its SHA-256 cannot list), a password in a URL.
 */
import { describe, expect, it } from 'vitest';
import { newKeyEntry } from '../../src/gateway/auth/key-tools.js';
import { Redactor } from '../../src/gateway/redact.js';

describe('Redactor', () => {
  it('removes configured secrets, and those added later (a reload) without forgetting the earlier ones', () => {
    const r = new Redactor(['upstream-secret-123', undefined, 'short']);
    expect(r.redact('401 from upstream: key upstream-secret-123 refused')).toBe('401 from upstream: key *** refused');
    r.add(['reloaded-key-456']);
    expect(r.redact('upstream-secret-123 / reloaded-key-456')).toBe('*** / ***');
    // Too short to be a secret (and to replace without mangling text): left alone.
    expect(r.redact('a short answer')).toBe('a short answer');
  });

  it("removes hiraga's own keys as `hiraga keys new` makes them, though no config lists them in the clear", () => {
    const { key } = newKeyEntry({ user: 'tanaka', role: 'staff', tenant: 'minato' });
    expect(key).toMatch(/^hk_/);
    const out = new Redactor([]).redact(`invalid request from ${key}: not JSON`);
    expect(out).not.toContain(key.slice(3));
    expect(out).toBe('invalid request from hk_***: not JSON');
  });

  it('removes bearer tokens, vendor keys and passwords in URLs', () => {
    const r = new Redactor([]);
    expect(r.redact('Authorization: Bearer abc.def-ghi_jkl')).toBe('Authorization: Bearer ***');
    expect(r.redact('key sk-proj-AbCdEf0123456789 rejected')).toBe('key sk-*** rejected');
    expect(r.redact('connect postgres://hiraga:s3cr3t@db.internal:5432/hiraga failed')).toBe('connect postgres://hiraga:***@db.internal:5432/hiraga failed');
  });
});
