import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { extend } from '../../src/core/objects.js';
import { ROOT } from '../helpers/cli.js';

const FIXTURE = path.join(ROOT, 'test/core/fixtures/copy-promotion.ts');

interface Promotion {
  variant: string;
  promoted: number;
  scavenges: number;
}

/** What young-generation collections moved into the old generation while the fixture made 300,000 copies `variant`'s way. */
async function promotion(variant: string): Promise<Promotion & { perScavenge: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', FIXTURE, variant, '300000'], { cwd: ROOT });
  const p = JSON.parse(stdout.trim().split('\n').pop()!) as Promotion;
  expect(p.variant).toBe(variant);
  expect(p.scavenges).toBeGreaterThan(5);
  return Object.assign(p, { perScavenge: p.promoted / p.scavenges });
}

describe('extend', () => {
  it('copies like { ...base, ...extra }: own enumerable properties, extra wins, base untouched', () => {
    const hidden = Object.create({ inherited: 1 }) as Record<string, unknown>;
    hidden.own = 'a';
    Object.defineProperty(hidden, 'secret', { value: 's', enumerable: false });
    const base = { a: 1, b: { deep: true }, own: hidden.own, time: 'old' };
    const out = extend(base, { time: 'new', c: 3 });
    expect(out).toEqual({ ...base, time: 'new', c: 3 });
    expect(out).not.toBe(base);
    expect(out.b).toBe(base.b);
    expect(base.time).toBe('old');
    expect(extend(hidden, {})).toEqual({ own: 'a' });
  });

  // Why the helper exists (core/objects.ts): on this Node, a literal that starts with a spread puts the
  // copy in the old generation, so what it points at survives young collections. Measured per young
  // collection (the old space's growth across it), against making no copy at all. Seen here: no copy
  // ~150 KB, extend ~170 KB, the audit path ~45 KB, `{ ...e, time }` ~2.4 MB, and the audit path with
  // one such literal back in chainEvents ~1.1 MB.
  it('keeps short-lived copies young, where a spread-first literal promotes them; so does the audit hot path', async () => {
    const none = await promotion('none');
    const viaExtend = await promotion('extend');
    const viaAudit = await promotion('audit');
    const viaSpread = await promotion('spread');
    const limit = 2 * none.perScavenge + 64 * 1024;
    const kb = (p: { perScavenge: number }) => `${Math.round(p.perScavenge / 1024)} KB per young collection`;
    expect(viaExtend.perScavenge, `extend: ${kb(viaExtend)}; no copy: ${kb(none)}`).toBeLessThan(limit);
    expect(viaAudit.perScavenge, `prepareEvent + chainEvents: ${kb(viaAudit)}; no copy: ${kb(none)}`).toBeLessThan(limit);
    // If this fails after a Node upgrade, V8 no longer has the problem and extend() may go back to a literal.
    expect(viaSpread.perScavenge, `{ ...e, time }: ${kb(viaSpread)}; extend: ${kb(viaExtend)}`).toBeGreaterThan(5 * viaExtend.perScavenge);
  }, 120_000);
});
