import { describe, expect, it } from 'vitest';
import { AppService } from '../../src/apps/service.js';
import type { Actor } from '../../src/core/types.js';
import type { GovernedRequest, GovernedResult } from '../../src/gateway/types.js';
import { dropStore, storeCases } from '../helpers/store.js';

const staff: Actor = { user: 'staff1', role: 'staff', tenant: 'minato' };
const colleague: Actor = { user: 'staff2', role: 'staff', tenant: 'minato' };
const admin: Actor = { user: 'admin1', role: 'admin', tenant: 'minato' };
const outsider: Actor = { user: 'staff9', role: 'staff', tenant: 'shibuya' };

const def = (title: string) => ({
  id: 'faq-reply',
  title,
  description: '問合せへの回答案',
  inputs: [{ name: 'q', label: '問合せ', required: true }],
  prompt: '回答案：{{q}}',
  review: true,
});

/** A recording stand-in for the governed pipeline: returns what it was asked, so the test sees the request. */
function recorder() {
  const calls: GovernedRequest[] = [];
  const run = async (req: GovernedRequest): Promise<GovernedResult> => {
    calls.push(req);
    const model = { id: req.model!, provider: 'openai-compatible' as const, origin: 'domestic' as const, hosting: 'on-prem' as const, clearance: 3 as const, priceInputPer1k: 0, priceOutputPer1k: 0, fallback: [], accepts: { sampling: true, penalties: true, stop: true, responseFormat: true, tools: true, reasoning: true } };
    return { model, content: req.messages.at(-1)!.content, usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }, confidentiality: 1, policy: 'allow', masked: [], flags: [], auditId: calls.length, costJpy: 0, energyWh: 0, latencyMs: 1, ...(req.requireReview ? { review: { id: 7, status: 'pending' as const } } : {}) };
  };
  return { calls, run };
}

const models = { defaultModel: 'extractive', has: (id: string) => ['extractive', 'up'].includes(id), isGenerative: (id: string) => id === 'up' };

describe.each(storeCases())('user-defined apps on $name', (sc) => {
  it('versions, publishes and scopes apps by tenant and role', async () => {
    const store = await sc.open();
    try {
      const rec = recorder();
      const apps = new AppService({ run: rec.run, models: { ...models, defaultModel: 'up' }, dateStyle: 'wareki', store });
      const v1 = await apps.create(staff, def('回答案 v1'));
      expect(v1).toMatchObject({ id: 'faq-reply', tenant: 'minato', latestVersion: 1, publishedVersion: null, createdBy: 'staff1' });
      const v2 = await apps.create(staff, def('回答案 v2'));
      expect(v2.latestVersion).toBe(2);
      expect((await apps.versions(staff, 'faq-reply')).map((v) => v.version)).toEqual([1, 2]);

      // A draft is visible to its creator (and admins), not to colleagues or other tenants.
      expect((await apps.list(staff)).find((a) => a.id === 'faq-reply')).toMatchObject({ builtin: false, version: 2, published: false, title: '回答案 v2' });
      expect((await apps.list(colleague)).some((a) => a.id === 'faq-reply')).toBe(false);
      await expect(apps.run(colleague, 'faq-reply', { q: 'x' })).rejects.toMatchObject({ code: 'not_found' });

      // Only admins publish; colleagues then see the published version, not later drafts.
      await expect(apps.publish(staff, 'faq-reply')).rejects.toMatchObject({ code: 'forbidden' });
      // A colleague's id is taken, and the refusal does not say whose it is.
      const taken = await apps.create(colleague, def('横取り')).catch((e: unknown) => e as { code: string; reason: string; message: string });
      expect(taken).toMatchObject({ code: 'forbidden', reason: 'app_id_taken', message: expect.stringMatching(/^アプリID「faq-reply」は既に使われています。別のIDを選んでください \/ .*choose another id$/) });
      expect((taken as { message: string }).message).not.toContain('staff1');
      await apps.publish(admin, 'faq-reply', 1);
      await apps.create(staff, def('回答案 v3'));
      expect((await apps.list(colleague)).find((a) => a.id === 'faq-reply')).toMatchObject({ version: 1, published: true, title: '回答案 v1' });
      expect((await apps.list(outsider)).some((a) => a.id === 'faq-reply')).toBe(false);

      // Running goes through the injected governed run, with the app id and its review requirement.
      const r = await apps.run(colleague, 'faq-reply', { q: '粗大ごみ' });
      expect(rec.calls.at(-1)).toMatchObject({ app: 'faq-reply', model: 'up', requireReview: true, actor: colleague });
      expect(r.governance?.review).toEqual({ id: 7, status: 'pending' });

      // Built-in ids are reserved; invalid definitions name the field.
      await expect(apps.create(staff, { ...def('x'), id: 'chat' })).rejects.toMatchObject({ code: 'bad_input' });
      await expect(apps.create(staff, { ...def('x'), model: 'nope' })).rejects.toThrow(/model = "nope" names no configured model/);
      await expect(apps.create({ ...staff, role: 'auditor' }, def('x'))).rejects.toMatchObject({ code: 'forbidden' });
    } finally {
      await dropStore(store);
    }
  });

  it('enforces an app’s confidentiality ceiling before the model sees the input', async () => {
    const store = await sc.open();
    try {
      const rec = recorder();
      const apps = new AppService({ run: rec.run, models, dateStyle: 'wareki', store, classify: (t) => (t.includes('マイナンバー') ? 3 : 1) });
      const d = { ...def('公開情報のみ'), id: 'public-only', confidentiality: 1, model: 'up' };
      await apps.create(staff, d);
      await expect(apps.run(staff, 'public-only', { q: 'マイナンバー 1234' })).rejects.toMatchObject({ code: 'policy', reason: 'confidentiality_exceeds_app_ceiling' });
      expect(rec.calls).toHaveLength(0);
      await apps.run(staff, 'public-only', { q: '開庁時間' });
      expect(rec.calls).toHaveLength(1);
    } finally {
      await dropStore(store);
    }
  });
});
