/** Plain domain types shared across folders. No imports from anywhere else. */

export type Confidentiality = 1 | 2 | 3;
export type Role = 'staff' | 'reviewer' | 'admin' | 'auditor';

export interface Actor {
  user: string;
  role: Role;
  tenant: string;
  /** The only models this credential may use (auth.apiKeys[].models); absent: no limit beyond the models' own. */
  models?: readonly string[];
  /**
   * Which credential authenticated the call, never the secret: `id:` and the first 12 hex digits of an API
   * key's SHA-256 (as 管理 lists it), or `oidc:` and a digest of the token's subject. Recorded in audit events
   * so an auditor can list what one key did. Absent for the CLI, which runs as a local operator.
   */
  credential?: string;
}

/** A piece of a document as stored and retrieved. */
export interface ChunkRecord {
  id: number;
  documentId: number;
  /** Position of the chunk within its document, starting at 0. */
  ordinal: number;
  source: string;
  title: string;
  /** Heading path, e.g. "地方自治法 > 第二編 > 第十条". */
  heading: string;
  text: string;
}

/** One search hit (the JSON shape of `hiraga search`). */
export interface SearchHit {
  source: string;
  chunk: number;
  score: number;
  text: string;
  heading: string;
  /** Internal chunk id (not part of the public contract). */
  chunkId: number;
  title: string;
}

export interface Citation {
  source: string;
  chunk: number;
  quote: string;
  heading?: string;
}

export interface AskResult {
  answer: string;
  abstained: boolean;
  citations: Citation[];
  model: string;
}

export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** True when the numbers were estimated locally rather than reported by the provider. */
  estimated?: boolean;
}
