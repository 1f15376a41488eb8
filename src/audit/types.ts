import type { Actor, Confidentiality, TokenUsage } from '../core/types.js';

/** What happened, as recorded in the audit trail. Raw personal data never appears here. */
export type AuditAction =
  | 'model.call'
  | 'app.run'
  | 'ingest'
  | 'policy.decision'
  | 'guard.mask'
  | 'review.decision'
  | 'admin.change'
  | 'login'
  | 'ask'
  | 'eval.run';

export interface AuditEventInput {
  actor: Actor;
  action: AuditAction;
  model?: { id: string; origin: string; hosting: string };
  app?: string;
  collection?: string;
  /** Cited chunk ids or source#chunk references. */
  citedChunks?: string[];
  /** Guard findings as type → count (never the values). */
  findings?: Record<string, number>;
  flags?: string[];
  confidentiality?: Confidentiality;
  /** allow | mask | block | review | … */
  outcome?: string;
  usage?: TokenUsage;
  costJpy?: number;
  energyWh?: number;
  latencyMs?: number;
  inputSha256?: string;
  outputSha256?: string;
  /** Content kept only when retention allows (tenant × level). */
  content?: { input?: string; output?: string };
  /** Anything else worth recording (no secrets, no raw personal data). */
  detail?: Record<string, unknown>;
}

export interface AuditEventRecord extends AuditEventInput {
  id: number;
  time: string;
  prev_hash: string;
  hash: string;
}

/** The append-only log. `append` resolves only after the event is durable. */
export interface AuditSink {
  append(event: AuditEventInput): Promise<{ id: number; hash: string }>;
}
