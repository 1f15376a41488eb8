/**
 * Racing decisions on one review item: exactly one wins, and only the winner leaves a `review.decision` event
 * (the loser's 400 already_decided comes before anything is recorded). Two queues on two connections to the
 * same database stand for two gateway processes.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog, type AuditLog } from '../../src/audit/log.js';
import type { AuditSink } from '../../src/audit/types.js';
import type { Actor } from '../../src/core/types.js';
import { createReviewQueue, type ReviewQueue } from '../../src/review/queue.js';
import { openStore, type Store, type StoreTarget } from '../../src/store/open.js';
import { auditConfig } from '../audit/helpers.js';
import { tempDir } from '../helpers/store.js';

const staff: Actor = { user: 'tanaka', role: 'staff', tenant: 'minato' };
const suzuki: Actor = { user: 'suzuki', role: 'reviewer', tenant: 'minato' };
const yamada: Actor = { user: 'yamada', role: 'admin', tenant: 'minato' };

const DB_URL = process.env.HIRAGA_TEST_DATABASE_URL;
const targets: [string, () => StoreTarget][] = [['sqlite', () => ({ kind: 'sqlite', file: path.join(tempDir(), 'hiraga.sqlite') })]];
if (DB_URL) targets.push(['postgres', () => ({ kind: 'postgres', url: DB_URL, schema: `t_${process.env.HIRAGA_TEST_RUN ?? 'x'}_${crypto.randomBytes(5).toString('hex')}` })]);

/** Every review.decision event, by review id. */
async function decisionEvents(audit: AuditLog): Promise<Map<number, { id: number; outcome: string | undefined; user: string }[]>> {
  const byItem = new Map<number, { id: number; outcome: string | undefined; user: string }[]>();
  for (const e of await audit.query({ action: 'review.decision', limit: 10_000 })) {
    const id = Number(e.detail?.reviewId);
    byItem.set(id, [...(byItem.get(id) ?? []), { id: e.id, outcome: e.outcome, user: e.actor.user }]);
  }
  return byItem;
}

describe.each(targets)('racing review decisions on %s', (_name, target) => {
  const opened: Store[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });
  const open = async (t: StoreTarget) => {
    const store = await openStore(t);
    opened.push(store);
    return store;
  };

  it('approve and reject at once, in one process and across two: one decision and one event per item, matching its status', async () => {
    const t = target();
    const storeA = await open(t);
    const storeB = await open(t);
    const auditA = createAuditLog(storeA, auditConfig());
    const auditB = createAuditLog(storeB, auditConfig());
    const queueA = createReviewQueue(storeA, auditA);
    const queueB = createReviewQueue(storeB, auditB);

    const ROUNDS = 30;
    const items = [];
    for (let i = 0; i < ROUNDS; i++) items.push(await queueA.enqueue({ requester: staff, reasons: ['confidentiality'], output: `回答 ${i}` }));
    // Even rounds race within one queue, odd rounds across the two; all rounds at once.
    const results = await Promise.all(
      items.map(async (item, i) => {
        const other: ReviewQueue = i % 2 ? queueB : queueA;
        const [a, r] = await Promise.allSettled([queueA.approve(item.id, { actor: suzuki, reason: '問題なし' }), other.reject(item.id, { actor: yamada, reason: '要修正' })]);
        return { item, a, r };
      }),
    );

    const events = await decisionEvents(auditA);
    for (const { item, a, r } of results) {
      const won = [a, r].filter((x) => x.status === 'fulfilled');
      expect(won, `item ${item.id}`).toHaveLength(1);
      const lost = [a, r].find((x) => x.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toMatchObject({ code: 'bad_input', reason: 'already_decided' });

      const final = await queueA.get(item.id);
      expect(final.status).not.toBe('pending');
      const recorded = events.get(item.id) ?? [];
      expect(recorded, `decision events of item ${item.id}`).toHaveLength(1);
      expect(recorded[0]).toMatchObject({ id: final.decision_audit_id, outcome: final.status, user: final.status === 'approved' ? 'suzuki' : 'yamada' });
    }
    expect((await auditA.verify()).ok).toBe(true);
  });

  it('while a decision is being recorded the item stays pending to readers, and a second decision is refused without an event', async () => {
    const store = await open(target());
    const audit = createAuditLog(store, auditConfig());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const appending = new Promise<void>((r) => (entered = r));
    // The real log, with its first append held until the test lets it go.
    const held: AuditSink = {
      async append(e) {
        entered();
        await gate;
        return audit.append(e);
      },
    };
    const slow = createReviewQueue(store, held);
    const queue = createReviewQueue(store, audit);
    const item = await queue.enqueue({ requester: staff, reasons: ['copyright'], output: '本文' });

    const approving = slow.approve(item.id, { actor: suzuki, reason: '確認済み' });
    await appending;
    expect(await queue.get(item.id)).toMatchObject({ status: 'pending', decided_by: null, decided_at: null });
    await expect(queue.reject(item.id, { actor: yamada, reason: '要修正' })).rejects.toMatchObject({ code: 'bad_input', reason: 'already_decided', message: expect.stringContaining('同時に') });
    expect((await decisionEvents(audit)).size).toBe(0);

    release();
    expect(await approving).toMatchObject({ status: 'approved', decided_by: 'suzuki' });
    const events = await decisionEvents(audit);
    expect(events.get(item.id)).toEqual([expect.objectContaining({ outcome: 'approved', user: 'suzuki' })]);
  });

  it('a decision whose audit event could not be written did not happen: the item stays pending and can be decided', async () => {
    const store = await open(target());
    const audit = createAuditLog(store, auditConfig());
    const failing: AuditSink = {
      async append() {
        throw new Error('audit store unavailable');
      },
    };
    const queue = createReviewQueue(store, audit);
    const item = await queue.enqueue({ requester: staff, reasons: ['copyright'], output: '本文' });
    await expect(createReviewQueue(store, failing).approve(item.id, { actor: suzuki, reason: '確認済み' })).rejects.toThrow('audit store unavailable');
    expect(await queue.get(item.id)).toMatchObject({ status: 'pending', decided_by: null });
    expect(await queue.reject(item.id, { actor: yamada, reason: '要修正' })).toMatchObject({ status: 'rejected', decided_by: 'yamada' });
    expect((await decisionEvents(audit)).get(item.id)).toHaveLength(1);
  });

  it('a claim left by a process that stopped mid-decision expires', async () => {
    const store = await open(target());
    const audit = createAuditLog(store, auditConfig());
    const queue = createReviewQueue(store, audit);
    const item = await queue.enqueue({ requester: staff, reasons: ['copyright'], output: '本文' });
    const claimedAt = async (at: Date) => store.db.updateTable('review_items').set({ decided_at: at.toISOString(), decided_by: 'crashed' }).where('id', '=', item.id).execute();
    await claimedAt(new Date(Date.now() - 5_000));
    await expect(queue.approve(item.id, { actor: suzuki, reason: '確認済み' })).rejects.toMatchObject({ reason: 'already_decided' });
    await claimedAt(new Date(Date.now() - 10 * 60_000));
    expect(await queue.approve(item.id, { actor: suzuki, reason: '確認済み' })).toMatchObject({ status: 'approved', decided_by: 'suzuki' });
  });
});
