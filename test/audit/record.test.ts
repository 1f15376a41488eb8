import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sha256Hex } from '../../src/audit/canonical.js';
import { hashRecord, prepareEvent } from '../../src/audit/record.js';
import type { AuditEventInput } from '../../src/audit/types.js';
import { rng } from '../helpers/rng.js';

/**
 * The zod schema prepareEvent used before its hand-written check (src/audit/record.ts): the reference.
 * Both must accept the same events, drop the same unknown keys and so hash the same record.
 */
const sha = z.string().regex(/^[0-9a-f]{64}$/);
const reference = z.object({
  actor: z.object({ user: z.string().min(1), role: z.string().min(1), tenant: z.string().min(1), credential: z.string().min(1).optional() }),
  action: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/),
  model: z.object({ id: z.string(), origin: z.string(), hosting: z.string() }).optional(),
  app: z.string().optional(),
  collection: z.string().optional(),
  citedChunks: z.array(z.string()).optional(),
  findings: z.record(z.string(), z.number().int().min(0)).optional(),
  flags: z.array(z.string()).optional(),
  confidentiality: z.number().int().min(1).max(3).optional(),
  outcome: z.string().optional(),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number(), estimated: z.boolean().optional() }).optional(),
  costJpy: z.number().finite().optional(),
  energyWh: z.number().finite().optional(),
  latencyMs: z.number().finite().optional(),
  inputSha256: sha.optional(),
  outputSha256: sha.optional(),
  content: z.object({ input: z.string().optional(), output: z.string().optional() }).optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

const H = 'ab'.repeat(32);
/** A value of a wrong kind, or an edge of the right one. */
const ODD: unknown[] = [null, 0, -1, 1.5, 4, NaN, Infinity, '', 'x', 'Model.Call', H.toUpperCase(), H, true, [], ['a'], [1], {}, { a: 1 }, { a: -1 }, { a: 'b' }, Number.MAX_SAFE_INTEGER + 2];

function randomEvent(r: () => number): Record<string, unknown> {
  const odd = () => ODD[Math.floor(r() * ODD.length)];
  const maybe = (good: () => unknown) => (r() < 0.1 ? odd() : good());
  const e: Record<string, unknown> = {
    actor: maybe(() => ({ user: maybe(() => 'u1'), role: maybe(() => 'staff'), tenant: maybe(() => 'minato'), ...(r() < 0.3 ? { credential: maybe(() => 'id:0123456789ab') } : {}), ...(r() < 0.2 ? { extra: 'x' } : {}) })),
    action: maybe(() => (r() < 0.5 ? 'model.call' : 'app.run')),
  };
  const optional: Array<[string, () => unknown]> = [
    ['model', () => ({ id: maybe(() => 'm'), origin: maybe(() => 'domestic'), hosting: maybe(() => 'on-prem'), ...(r() < 0.2 ? { url: 'http://x' } : {}) })],
    ['app', () => 'summarize'],
    ['collection', () => 'rules'],
    ['citedChunks', () => [maybe(() => 'a#1'), 'b#2']],
    ['findings', () => ({ person_name: maybe(() => 2), my_number: 0 })],
    ['flags', () => [maybe(() => 'injection')]],
    ['confidentiality', () => 1 + Math.floor(r() * 3)],
    ['outcome', () => 'allow'],
    ['usage', () => ({ prompt_tokens: maybe(() => 10), completion_tokens: 5, total_tokens: 15, ...(r() < 0.5 ? { estimated: maybe(() => true) } : {}), ...(r() < 0.2 ? { cost: 1 } : {}) })],
    ['costJpy', () => r() * 3],
    ['energyWh', () => r()],
    ['latencyMs', () => Math.floor(r() * 900)],
    ['inputSha256', () => H],
    ['outputSha256', () => H],
    ['content', () => ({ ...(r() < 0.8 ? { input: maybe(() => '会議室') } : {}), ...(r() < 0.8 ? { output: 'はい' } : {}), ...(r() < 0.2 ? { raw: 'x' } : {}) })],
    ['detail', () => ({ masked: 1, purpose: 'test', nested: { a: [1, 'b'] } })],
    ['rawText', () => '山田太郎 090-1234-5678'],
  ];
  for (const [k, good] of optional) if (r() < 0.5) e[k] = r() < 0.1 ? odd() : good();
  return e;
}

describe('prepareEvent', () => {
  it('accepts exactly what the reference zod schema accepts, and records the same thing', () => {
    const r = rng(20261202);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 5000; i++) {
      const e = randomEvent(r);
      const ref = reference.safeParse(e);
      let ours: ReturnType<typeof prepareEvent> | Error;
      try {
        ours = prepareEvent(e as unknown as AuditEventInput, '2026-12-02T00:00:00.000Z', () => 30);
      } catch (err) {
        ours = err as Error;
      }
      if (!ref.success) {
        expect(ours, JSON.stringify(e)).toBeInstanceOf(Error);
        expect((ours as Error).message).toMatch(/^audit event: .+: expected /);
        refused++;
        continue;
      }
      expect(ours, JSON.stringify(e)).not.toBeInstanceOf(Error);
      const expected = prepareFromReference(ref.data);
      const got = ours as ReturnType<typeof prepareEvent>;
      expect(hashRecord({ ...got.base, id: 1, prev_hash: H }).json).toBe(hashRecord({ ...expected.base, id: 1, prev_hash: H }).json);
      expect(got.content).toEqual(expected.content);
      accepted++;
    }
    // Both branches were exercised many times.
    expect(accepted).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });

  it('names the wrong field and what was expected', () => {
    const base = { actor: { user: 'u', role: 'staff', tenant: 't' }, action: 'model.call' };
    const err = (e: unknown) => {
      try {
        prepareEvent(e as AuditEventInput, 'now', () => 0);
      } catch (x) {
        return (x as Error).message;
      }
      return 'accepted';
    };
    expect(err({ ...base, findings: { person_name: -1 } })).toBe('audit event: findings.person_name: expected a whole number ≥ 0');
    expect(err({ ...base, flags: ['ok', 3] })).toBe('audit event: flags[1]: expected a string');
    expect(err({ ...base, actor: { user: '', role: 'staff', tenant: 't' } })).toBe('audit event: actor.user: expected a non-empty string');
    expect(err({ ...base, action: 'Model.Call' })).toBe('audit event: action: expected a dotted lowercase action such as model.call');
    expect(err({ ...base, costJpy: Infinity })).toBe('audit event: costJpy: expected a finite number');
    expect(err(null)).toBe('audit event: (event): expected an object');
  });

  it('drops keys it does not know, at every level, and keeps content out of the hashed part', () => {
    const p = prepareEvent(
      { actor: { user: 'u', role: 'staff', tenant: 't', secret: 'x' }, action: 'model.call', rawText: '山田太郎', content: { input: '質問', output: '回答' } } as unknown as AuditEventInput,
      '2026-12-02T00:00:00.000Z',
      () => 7,
    );
    expect(p.base).toEqual({
      actor: { user: 'u', role: 'staff', tenant: 't' },
      action: 'model.call',
      time: '2026-12-02T00:00:00.000Z',
      inputSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      outputSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      contentRetentionDays: 7,
    });
    expect(p.content).toEqual({ input: '質問', output: '回答' });
  });
});

/** What prepareEvent did with the zod schema's output (its code before the change, after the parse); retention 30 days. */
function prepareFromReference(data: z.infer<typeof reference>): ReturnType<typeof prepareEvent> {
  const { content, ...rest } = data;
  const base = { ...(rest as Omit<AuditEventInput, 'content'>), time: '2026-12-02T00:00:00.000Z' } as ReturnType<typeof prepareEvent>['base'];
  if (content?.input !== undefined) base.inputSha256 ??= sha256Hex(content.input);
  if (content?.output !== undefined) base.outputSha256 ??= sha256Hex(content.output);
  if (!content || (content.input === undefined && content.output === undefined)) return { base };
  base.contentRetentionDays = 30;
  return { base, content };
}
