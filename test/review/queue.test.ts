import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/audit/log.js';
import { createReviewQueue } from '../../src/review/queue.js';
import { queueReason, reviewCauses } from '../../src/review/policy.js';
import { sha256Hex } from '../../src/audit/canonical.js';
import { dropStore, storeCases } from '../helpers/store.js';
import type { Store } from '../../src/store/open.js';
import type { Actor } from '../../src/core/types.js';
import { auditConfig } from '../audit/helpers.js';

const staff: Actor = { user: 'tanaka', role: 'staff', tenant: 'minato' };
const reviewer: Actor = { user: 'suzuki', role: 'reviewer', tenant: 'minato' };
const otherTenant: Actor = { user: 'sato', role: 'reviewer', tenant: 'chiyoda' };

describe('review policy', () => {
  const policy = auditConfig().review;
  it('holds copyright and injection flags by default, confidentiality from the configured level', () => {
    expect(reviewCauses(policy, { inputFlags: ['copyright_reference'], confidentiality: 1 })).toEqual(['copyright_reference']);
    expect(reviewCauses(policy, { inputFlags: [], outputFlags: ['prompt_injection'], confidentiality: 3 })).toEqual(['prompt_injection']);
    expect(reviewCauses(policy, { inputFlags: [], confidentiality: 3, uncitedAnswer: true })).toEqual([]);
    const strict = auditConfig({}, { review: { require: { minConfidentiality: 2, lowGrounding: true } } }).review;
    const causes = reviewCauses(strict, { inputFlags: [], confidentiality: 2, uncitedAnswer: true, appRequiresReview: true });
    expect(causes).toEqual(['app_requires_review', 'confidentiality_2', 'low_grounding']);
    expect(causes.map(queueReason)).toEqual(['app_requires_review', 'confidentiality', 'low_grounding']);
  });

  it('a leaked placeholder is held even when every optional check is off', () => {
    const lax = auditConfig({}, { review: { require: { copyright: false, injection: false, minConfidentiality: 4 } } }).review;
    expect(reviewCauses(lax, { inputFlags: ['copyright_reference', 'prompt_injection'], outputFlags: ['placeholder_leak', 'copyright_overlap'], confidentiality: 3 })).toEqual(['placeholder_leak']);
  });
});

for (const c of storeCases()) {
  describe(`review queue on ${c.name}`, () => {
    let store: Store | null = null;
    afterEach(async () => {
      if (store) await dropStore(store);
      store = null;
    });
    const setup = async () => {
      store = await c.open();
      const audit = createAuditLog(store, auditConfig());
      return { audit, queue: createReviewQueue(store, audit) };
    };

    it('holds an item as 確認待ち, approves with an edit, and audits who and why', async () => {
      const { audit, queue } = await setup();
      const item = await queue.enqueue({ requester: staff, reasons: ['copyright'], output: '元の回答', input: '質問', app: 'press', model: 'up', auditId: 1 });
      expect(item).toMatchObject({ status: 'pending', statusLabel: '確認待ち', tenant: 'minato', requester: 'tanaka', reason: '著作権の懸念' });
      expect((await queue.get(item.id, staff)).output).toBeNull();
      expect((await queue.list({ tenant: 'minato', status: 'pending' })).map((i) => i.id)).toEqual([item.id]);
      expect(await queue.list({ tenant: 'chiyoda' })).toEqual([]);

      await expect(queue.approve(item.id, { actor: staff, reason: 'ok' })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(queue.approve(item.id, { actor: otherTenant, reason: 'ok' })).rejects.toMatchObject({ code: 'not_found' });
      await expect(queue.approve(item.id, { actor: reviewer, reason: ' ' })).rejects.toMatchObject({ code: 'bad_input' });

      const done = await queue.approve(item.id, { actor: reviewer, reason: '引用元を明記', editedText: '修正した回答' });
      expect(done).toMatchObject({ status: 'approved', statusLabel: '承認済み', decided_by: 'suzuki', decision_reason: '引用元を明記', edited: true, output: '修正した回答', originalOutput: '元の回答' });
      expect((await queue.get(item.id, staff)).output).toBe('修正した回答');
      await expect(queue.reject(item.id, { actor: reviewer, reason: 'again' })).rejects.toThrow(/already approved/);

      const [event] = await audit.query({ action: 'review.decision' });
      expect(event).toMatchObject({ id: done.decision_audit_id, outcome: 'approved', actor: reviewer, outputSha256: sha256Hex('修正した回答') });
      expect(event!.detail).toMatchObject({ reviewId: item.id, reason: '引用元を明記', edited: true, requester: 'tanaka' });
      expect((await audit.verify()).ok).toBe(true);
    });

    it('rejects with a reason; the requester never sees the output', async () => {
      const { audit, queue } = await setup();
      const item = await queue.enqueue({ requester: staff, reasons: ['injection'], output: '怪しい回答' });
      const done = await queue.reject(item.id, { actor: reviewer, reason: '指示の上書きを含む' });
      expect(done).toMatchObject({ status: 'rejected', statusLabel: '差し戻し' });
      expect((await queue.get(item.id, staff)).output).toBeNull();
      await expect(queue.get(item.id, { ...staff, user: 'someone-else' })).rejects.toMatchObject({ code: 'not_found' });
      const [event] = await audit.query({ action: 'review.decision' });
      expect(event).toMatchObject({ outcome: 'rejected' });
      expect(event!.outputSha256).toBeUndefined();
      await expect(queue.get(999)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('two reviewers deciding at once: exactly one wins', async () => {
      const { queue } = await setup();
      const item = await queue.enqueue({ requester: staff, reasons: ['confidentiality'], output: 'x' });
      const results = await Promise.allSettled([
        queue.approve(item.id, { actor: reviewer, reason: 'a' }),
        queue.reject(item.id, { actor: { ...reviewer, user: 'yamada' }, reason: 'b' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('four eyes: a reviewer cannot decide an output they asked for, unless review.allowSelfReview', async () => {
      const { audit, queue } = await setup();
      const own = await queue.enqueue({ requester: reviewer, reasons: ['confidentiality'], output: '自分の回答' });
      for (const decide of [() => queue.approve(own.id, { actor: reviewer, reason: '問題なし' }), () => queue.reject(own.id, { actor: reviewer, reason: '不可' })]) {
        await expect(decide()).rejects.toMatchObject({ code: 'forbidden', reason: 'self_review' });
      }
      expect((await queue.get(own.id)).status).toBe('pending');
      expect(await audit.query({ action: 'review.decision' })).toEqual([]);
      const admin: Actor = { user: 'yamamoto', role: 'admin', tenant: 'minato' };
      expect((await queue.approve(own.id, { actor: admin, reason: '第三者が確認' })).decided_by).toBe('yamamoto');

      const lax = createReviewQueue(store!, audit, { allowSelfReview: true });
      const mine = await lax.enqueue({ requester: reviewer, reasons: ['confidentiality'], output: '自分の回答' });
      expect((await lax.approve(mine.id, { actor: reviewer, reason: '小規模の組織で一人で確認' })).status).toBe('approved');
    });
  });
}
