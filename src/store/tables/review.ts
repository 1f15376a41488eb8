import type { Generated } from 'kysely';

/** Outputs held for a human reviewer before release. */
export interface ReviewItemsTable {
  id: Generated<number>;
  tenant: string;
  requester: string;
  app: string | null;
  model: string | null;
  /** JSON array of reasons (copyright, injection, confidentiality, low_grounding, app_requires_review). */
  reasons: string;
  input: string | null;
  output: string;
  /** JSON of extra facts for the reviewer (citations, flags, confidentiality). */
  detail: string;
  status: string;
  audit_id: number | null;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
  decision_reason: string | null;
  edited_output: string | null;
  decision_audit_id: number | null;
}

export interface ReviewTables {
  review_items: ReviewItemsTable;
}
