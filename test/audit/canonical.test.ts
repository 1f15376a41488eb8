import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/canonical.js';
import { rng } from '../helpers/rng.js';

/** The straightforward definition: keys by Array.prototype.sort (UTF-16 code units), JSON.stringify for the rest. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : reference(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`)
    .join(',')}}`;
}

const KEY_CHARS = ['a', 'B', 'z', '_', '1', '9', '0', '氏', '名', 'é', '😀', '"', '\\', '\n', ' '];

function randomValue(r: () => number, depth: number): unknown {
  const pick = r();
  if (depth > 3 || pick < 0.35) {
    const kind = Math.floor(r() * 6);
    if (kind === 0) return null;
    if (kind === 1) return r() < 0.5;
    if (kind === 2) return Math.round((r() - 0.5) * 1e6) / 100;
    if (kind === 3) return undefined;
    return Array.from({ length: Math.floor(r() * 6) }, () => KEY_CHARS[Math.floor(r() * KEY_CHARS.length)]).join('');
  }
  if (pick < 0.55) return Array.from({ length: Math.floor(r() * 5) }, () => randomValue(r, depth + 1));
  const obj: Record<string, unknown> = {};
  const n = Math.floor(r() * (r() < 0.1 ? 60 : 10));
  for (let i = 0; i < n; i++) {
    const key = r() < 0.2 ? String(Math.floor(r() * 200)) : Array.from({ length: 1 + Math.floor(r() * 4) }, () => KEY_CHARS[Math.floor(r() * KEY_CHARS.length)]).join('');
    obj[key] = randomValue(r, depth + 1);
  }
  return obj;
}

describe('canonical JSON', () => {
  it('sorts keys by UTF-16 code units, drops undefined members, writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [1, undefined, 'x'], c: undefined, '10': true, '9': false, é: null, z: { y: 2, x: 1 } })).toBe(
      '{"10":true,"9":false,"a":[1,null,"x"],"b":1,"z":{"x":1,"y":2},"é":null}',
    );
    expect(canonicalJson({ '😀': 1, '\uffff': 2 })).toBe('{"😀":1,"\uffff":2}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow('finite');
  });

  it('equals the plain definition on 5,000 random values (unicode, numeric-looking and escaped keys, objects past 32 keys)', () => {
    const r = rng(20261202);
    for (let i = 0; i < 5000; i++) {
      const v = randomValue(r, 0);
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });
});
