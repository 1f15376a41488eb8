import type { Actor, Confidentiality } from '../core/types.js';

export type ReviewStatus = 'pending' | 'approved' | 'rejected';

/** Why an output waits for a reviewer. */
export type ReviewReason = 'copyright' | 'injection' | 'confidentiality' | 'low_grounding' | 'app_requires_review';

export const STATUS_LABEL: Record<ReviewStatus, string> = { pending: '確認待ち', approved: '承認済み', rejected: '差し戻し' };

export const REASON_LABEL: Record<ReviewReason, string> = {
  copyright: '著作権の懸念',
  injection: 'プロンプトインジェクションの疑い',
  confidentiality: '機密性レベル',
  low_grounding: '根拠が弱い',
  app_requires_review: 'アプリが要確認',
};

export interface EnqueueInput {
  requester: Actor;
  reasons: ReviewReason[];
  output: string;
  input?: string;
  app?: string;
  model?: string;
  /** The audit event of the call whose output is held. */
  auditId?: number;
  confidentiality?: Confidentiality;
  flags?: string[];
  citations?: { source: string; chunk: number }[];
}

export interface ReviewItem {
  id: number;
  tenant: string;
  requester: string;
  app: string | null;
  model: string | null;
  reasons: ReviewReason[];
  /** Reasons as one Japanese line (the API's `reason`). */
  reason: string;
  status: ReviewStatus;
  /** 確認待ち / 承認済み / 差し戻し */
  statusLabel: string;
  /** The held output; for the requester only once approved (edited text when the reviewer edited it). */
  output: string | null;
  originalOutput?: string;
  edited: boolean;
  detail: Record<string, unknown>;
  audit_id: number | null;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
  decision_reason: string | null;
  decision_audit_id: number | null;
}

export interface Decision {
  actor: Actor;
  reason: string;
  /** Approve with this text instead of the held output. */
  editedText?: string;
}
