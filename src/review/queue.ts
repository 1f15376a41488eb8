import { HiragaError, badInput, notFound } from '../core/errors.js';
import type { Actor } from '../core/types.js';
import type { AuditSink } from '../audit/types.js';
import { sha256Hex } from '../audit/canonical.js';
import type { Store } from '../store/open.js';
import type { ReviewItemsTable } from '../store/tables/review.js';
import { REASON_LABEL, STATUS_LABEL, type Decision, type EnqueueInput, type ReviewItem, type ReviewReason, type ReviewStatus } from './types.js';

export interface ReviewListQuery {
  /** Only this tenant (required for non-admin callers; the CLI operator may omit it). */
  tenant?: string;
  status?: ReviewStatus;
  /** Only items with a larger id (paging: the last id of the page before; the list is oldest first). */
  after?: number;
  limit?: number;
}

/** One page of the queue, oldest first, and whether items follow it. */
export interface ReviewPage {
  items: ReviewItem[];
  hasMore: boolean;
}

export interface ReviewQueue {
  enqueue(input: EnqueueInput): Promise<ReviewItem>;
  list(q?: ReviewListQuery): Promise<ReviewItem[]>;
  /** `limit` items after `after` (oldest first), and whether more follow. */
  page(q: ReviewListQuery & { limit: number }): Promise<ReviewPage>;
  /** One item as `viewer` may see it: the requester sees the output only once approved. */
  get(id: number, viewer?: Actor): Promise<ReviewItem>;
  approve(id: number, decision: Decision): Promise<ReviewItem>;
  reject(id: number, decision: Decision): Promise<ReviewItem>;
}

const DECIDERS = new Set(['reviewer', 'admin']);

type Row = Omit<ReviewItemsTable, 'id'> & { id: number };

function toItem(r: Row, showOutput = true): ReviewItem {
  const reasons = JSON.parse(r.reasons) as ReviewReason[];
  const status = r.status as ReviewStatus;
  const released = r.edited_output ?? r.output;
  // A pending item may carry the claim of a decision in progress (decided_at/decided_by): not a decision yet.
  const decided = status !== 'pending';
  return {
    id: Number(r.id),
    tenant: r.tenant,
    requester: r.requester,
    app: r.app,
    model: r.model,
    reasons,
    reason: reasons.map((x) => REASON_LABEL[x] ?? x).join('、'),
    status,
    statusLabel: STATUS_LABEL[status],
    output: showOutput ? released : null,
    ...(showOutput && r.edited_output !== null ? { originalOutput: r.output } : {}),
    edited: r.edited_output !== null,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    audit_id: r.audit_id === null ? null : Number(r.audit_id),
    created_at: r.created_at,
    decided_at: decided ? r.decided_at : null,
    decided_by: decided ? r.decided_by : null,
    decision_reason: r.decision_reason,
    decision_audit_id: r.decision_audit_id === null ? null : Number(r.decision_audit_id),
  };
}

/**
 * How long a decision in progress holds its item. An audit append takes milliseconds; a claim older than this
 * was left by a process that stopped between claiming and deciding, and the item may be decided again.
 */
const CLAIM_MS = 120_000;

const alreadyDecided = (message: string) => badInput(message, { reason: 'already_decided' });

/**
 * The review queue: outputs held for a human, tenant-scoped. Each decision is written to the audit
 * log (`review.decision`, who and why) before it takes effect, so no decision exists without its event;
 * and only the decision that claimed the item writes one, so no event exists for a decision that lost a race.
 */
export interface ReviewQueueOptions {
  /** config review.allowSelfReview: may a reviewer decide an output they requested? Default false (four eyes). */
  allowSelfReview?: boolean;
}

/** The largest item id: review_items.id is a PostgreSQL serial (int4); SQLite's rowids never get near it. */
const MAX_ITEM_ID = 2_147_483_647;

export function createReviewQueue(store: Store, audit: AuditSink, options: ReviewQueueOptions = {}): ReviewQueue {
  const db = store.db;
  const load = async (id: number): Promise<Row> => {
    if (!Number.isSafeInteger(id) || id < 1) throw badInput(`確認項目の番号は正の整数です / review id must be a positive integer, got ${id}`);
    // Beyond the column's range no item exists (and PostgreSQL would refuse to compare the int4 column with it).
    const row = id > MAX_ITEM_ID ? undefined : await db.selectFrom('review_items').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`review item ${id} does not exist / 確認項目 ${id} はありません`);
    return row as Row;
  };

  /**
   * Claim a pending item for one decision: a single conditional UPDATE (still pending, and unclaimed or
   * claimed longer than CLAIM_MS ago) that at most one of racing deciders — in this process or another —
   * can win. The claim marks decided_at/decided_by while the status stays pending (toItem hides them).
   */
  const claim = async (id: number, actor: Actor): Promise<string | null> => {
    const claimedAt = new Date().toISOString();
    const staleBefore = new Date(Date.now() - CLAIM_MS).toISOString();
    const res = await db
      .updateTable('review_items')
      .set({ decided_at: claimedAt, decided_by: actor.user })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('decided_at', 'is', null), eb('decided_at', '<', staleBefore)]))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1 ? claimedAt : null;
  };

  const decide = async (id: number, status: 'approved' | 'rejected', d: Decision): Promise<ReviewItem> => {
    if (!d.reason?.trim()) throw badInput('a decision needs a reason (--reason) / 理由を入力してください');
    if (!DECIDERS.has(d.actor.role)) throw new HiragaError('forbidden', `role ${d.actor.role} may not decide reviews; a reviewer or admin may / 確認権限がありません`);
    if (status === 'rejected' && d.editedText !== undefined) throw badInput('an edited text is only allowed when approving');
    const row = await load(id);
    if (row.tenant !== d.actor.tenant) throw notFound(`review item ${id} does not exist / 確認項目 ${id} はありません`);
    if (!options.allowSelfReview && row.requester === d.actor.user) {
      throw new HiragaError('forbidden', `確認項目 ${id} はあなた自身の依頼です。他の確認者が判断します / review item ${id} holds an output you requested: another reviewer decides it (review.allowSelfReview is off)`, { reason: 'self_review' });
    }
    if (row.status !== 'pending') throw alreadyDecided(`確認項目 ${id} は既に${STATUS_LABEL[row.status as ReviewStatus] ?? row.status}です（${row.decided_by ?? '?'}）。一覧を更新してください / review item ${id} was already ${row.status} by ${row.decided_by ?? '?'}; reload the list`);

    const claimedAt = await claim(id, d.actor);
    if (claimedAt === null) {
      throw alreadyDecided(`確認項目 ${id} は同時に他の人が判断しました。一覧を更新して結果を確認してください / review item ${id} was decided by someone else at the same time; reload the list to see the outcome`);
    }
    const released = status === 'approved' ? (d.editedText ?? row.output) : null;
    let event: { id: number };
    try {
      event = await audit.append({
        actor: d.actor,
        action: 'review.decision',
        outcome: status,
        ...(row.app ? { app: row.app } : {}),
        ...(released !== null ? { outputSha256: sha256Hex(released) } : {}),
        detail: {
          reviewId: id,
          tenant: row.tenant,
          requester: row.requester,
          reasons: JSON.parse(row.reasons),
          reason: d.reason,
          edited: d.editedText !== undefined,
          heldAuditId: row.audit_id,
        },
      });
    } catch (err) {
      // Not recorded, so not decided: release the claim (the item stays pending and may be decided again).
      await db
        .updateTable('review_items')
        .set({ decided_at: null, decided_by: null })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('decided_at', '=', claimedAt)
        .execute()
        .catch(() => {});
      throw err;
    }
    const res = await db
      .updateTable('review_items')
      .set({ status, decided_at: new Date().toISOString(), decided_by: d.actor.user, decision_reason: d.reason, edited_output: d.editedText ?? null, decision_audit_id: event.id })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('decided_at', '=', claimedAt)
      .where('decided_by', '=', d.actor.user)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      // Only when the audit append outlasted CLAIM_MS and another decision took the item over meanwhile.
      throw new HiragaError('internal', `確認項目 ${id} の判断の記録に時間がかかり、その間に他の判断が確定しました（監査記録 ${event.id} は無効な判断です）。一覧を更新して結果を確認してください / recording the decision on review item ${id} took longer than ${CLAIM_MS / 1000}s and another decision took effect meanwhile (audit event ${event.id} did not take effect); reload the list to see the outcome`, { reason: 'decision_superseded' });
    }
    return toItem(await load(id));
  };

  const list = async (q: ReviewListQuery): Promise<ReviewItem[]> => {
    let query = db.selectFrom('review_items').selectAll();
    if (q.tenant) query = query.where('tenant', '=', q.tenant);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.after !== undefined && q.after >= MAX_ITEM_ID) return [];
    if (q.after !== undefined) query = query.where('id', '>', q.after);
    const rows = await query.orderBy('id').limit(Math.min(q.limit ?? 200, 5000)).execute();
    return rows.map((r) => toItem(r as Row));
  };

  return {
    async enqueue(input) {
      if (!input.reasons.length) throw badInput('a review item needs at least one reason');
      const detail = {
        ...(input.confidentiality ? { confidentiality: input.confidentiality } : {}),
        ...(input.flags ? { flags: input.flags } : {}),
        ...(input.citations ? { citations: input.citations } : {}),
      };
      const row = {
        tenant: input.requester.tenant,
        requester: input.requester.user,
        app: input.app ?? null,
        model: input.model ?? null,
        reasons: JSON.stringify(input.reasons),
        input: input.input ?? null,
        output: input.output,
        detail: JSON.stringify(detail),
        status: 'pending',
        audit_id: input.auditId ?? null,
        created_at: new Date().toISOString(),
        decided_at: null,
        decided_by: null,
        decision_reason: null,
        edited_output: null,
        decision_audit_id: null,
      };
      const { id } = await db.insertInto('review_items').values(row).returning('id').executeTakeFirstOrThrow();
      return toItem({ ...row, id: Number(id) });
    },
    list: (q = {}) => list(q),
    async page(q) {
      // One more than asked tells whether a next page exists.
      const items = await list(Object.assign({}, q, { limit: q.limit + 1 }));
      const hasMore = items.length > q.limit;
      if (hasMore) items.length = q.limit;
      return { items, hasMore };
    },
    async get(id, viewer) {
      const row = await load(id);
      if (!viewer) return toItem(row);
      if (viewer.tenant !== row.tenant) throw notFound(`review item ${id} does not exist / 確認項目 ${id} はありません`);
      if (DECIDERS.has(viewer.role)) return toItem(row);
      if (viewer.user !== row.requester) throw notFound(`review item ${id} does not exist / 確認項目 ${id} はありません`);
      return toItem(row, row.status === 'approved');
    },
    approve: (id, d) => decide(id, 'approved', d),
    reject: (id, d) => decide(id, 'rejected', d),
  };
}
