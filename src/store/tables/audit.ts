/** The audit trail: an append-only, hash-chained event log with signed Merkle checkpoints. */
export interface AuditEventsTable {
  /** Position in the chain, 1-based and gap-free (Merkle leaf index = id - 1). */
  id: number;
  time: string;
  tenant: string;
  action: string;
  user_id: string;
  /** Canonical JSON of the hashed record (everything but `hash`). */
  record: string;
  prev_hash: string;
  hash: string;
}

/** Kept content (prompt/answer), deleted at `expires_at`; the chain never depends on it. */
export interface AuditContentTable {
  event_id: number;
  tenant: string;
  input: string | null;
  output: string | null;
  expires_at: string;
}

/** One row (id = 1): the chain head, locked by every append transaction. */
export interface AuditHeadTable {
  id: number;
  size: number;
  last_hash: string;
  /** JSON array of hex subtree roots (RFC 9162 compact range of the whole tree, largest first). */
  frontier: string;
}

export interface AuditCheckpointsTable {
  tree_size: number;
  root: string;
  head_hash: string;
  time: string;
  key_id: string;
  /** Base64 Ed25519 signature over the canonical checkpoint statement. */
  signature: string;
}

/**
 * SQLite only: events appended but not yet moved into audit_events / audit_content and the Merkle tree
 * (audit/sqlite-chain.ts). Same columns as audit_events, plus the kept content (`expires_at` null: none kept).
 */
export interface AuditJournalTable extends AuditEventsTable {
  input: string | null;
  output: string | null;
  expires_at: string | null;
}

export interface AuditTables {
  audit_events: AuditEventsTable;
  audit_content: AuditContentTable;
  audit_head: AuditHeadTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_journal: AuditJournalTable;
}
