/** Shapes of the hiraga HTTP API (docs/api.md) as the web workspace reads them. */

export type Role = 'staff' | 'reviewer' | 'admin' | 'auditor';
export type Confidentiality = 1 | 2 | 3;

export interface Me {
  user: string;
  role: Role;
  tenant: string;
}

/** GET /auth/oidc/config: where to sign in with the organisation's identity provider. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  authorizationEndpoint: string;
  scope: string;
  /** null: <the UI's origin>/oidc/callback */
  redirectUri: string | null;
}

/** POST /auth/oidc/token: a verified ID token (the Bearer credential from now on) and who it is. */
export interface OidcSession extends Me {
  idToken: string;
  expiresAt: string;
}

export interface ModelEntry {
  id: string;
  origin?: string;
  hosting?: string;
  clearance?: number;
  provider?: string;
  label?: string;
}

export interface Collection {
  name: string;
  documents: number;
  chunks: number;
}

export interface Citation {
  source: string;
  chunk: number;
  quote: string;
  heading?: string;
}

export interface Masked {
  type: string;
  placeholder: string;
}

export interface ReviewRef {
  id: number;
  status: 'pending' | 'approved' | 'rejected' | string;
}

/** The governance facts every answer carries (ask, app run, chat). */
export interface Governance {
  model: string;
  modelInfo?: { origin?: string; hosting?: string };
  confidentiality?: Confidentiality;
  masked?: Masked[];
  flags?: string[];
  review?: ReviewRef | null;
  auditId?: number;
  audit_id?: number;
  cost_jpy?: number;
  energy_wh?: number;
}

export interface AskResult extends Governance {
  answer: string;
  abstained: boolean;
  citations: Citation[];
}

export interface AppInput {
  name: string;
  label?: string;
  type?: string;
  required?: boolean;
  options?: string[];
  placeholder?: string;
  help?: string;
  default?: string | number;
}

export interface AppSummary {
  id: string;
  title: string;
  description: string;
  builtin: boolean;
  inputs?: AppInput[];
  kind?: string;
}

/** One finding of the 公用文 proofreader (app proofread). */
export interface ProofreadIssue {
  rule: string;
  start?: number;
  end?: number;
  message: string;
  suggestion?: string;
  fix?: boolean;
}

export interface AppRunResult extends Omit<Governance, 'model'> {
  app: string;
  /** null when no model was used (rule-based or extractive apps). */
  model: string | null;
  output: string | { text?: string; [k: string]: unknown };
  /** Passages or parts the output's [n] markers refer to (法令検索, 要約). */
  citations?: Citation[];
  /** 公用文校正's findings. */
  issues?: ProofreadIssue[];
  /** A remark on how the output was made (e.g. an extractive summary), in both languages. */
  note?: string;
  /** Base64 .docx, or a URL to fetch it from. */
  docx?: string | { url?: string; base64?: string; filename?: string };
  provenance?: Record<string, unknown>;
}

export interface ReviewItem {
  id: number;
  requester: string;
  /** Whether the caller may decide it: pending, and not their own request (four eyes, unless the server allows it). */
  decidable?: boolean;
  app?: string | null;
  model?: string;
  /** Why it was held, as codes (injection, copyright…); `reason` is the server's Japanese label. */
  reasons?: string[];
  reason?: string;
  output?: string;
  created_at?: string;
  status: string;
  decided_by?: string;
  decision_reason?: string;
}

export interface AuditEvent {
  id: number;
  time: string;
  action: string;
  /** `credential`: the API key (id:…) or sign-in (oidc:…) that made the call, never the key. */
  actor?: { user?: string; role?: string; tenant?: string; credential?: string };
  model?: { id: string; origin?: string; hosting?: string };
  app?: string;
  collection?: string;
  outcome?: string;
  confidentiality?: number;
  findings?: Record<string, number>;
  flags?: string[];
  hash?: string;
  prev_hash?: string;
  [k: string]: unknown;
}

export interface VerifyResult {
  ok: boolean;
  events: number;
  firstBad?: { id: number; problem: string };
}

export interface UsageRow {
  key: string;
  bucket: string;
  calls: number;
  tokens: number;
  cost_jpy: number;
  energy_wh: number;
}

export interface JobState {
  state: string;
  done: number;
  total: number;
  report?: unknown;
}

export interface EvalRun {
  id: string;
  suite?: string | { path?: string; sha256?: string; items?: number };
  models?: (string | { id: string })[];
  created_at?: string;
  status?: string;
  [k: string]: unknown;
}

export type PolicyAction = 'allow' | 'mask' | 'block';
type PerLevel<T> = { '1': T; '2': T; '3': T };

/** GET /api/admin/policies (admin): the effective, read-only governance policy. */
export interface AdminPolicies {
  tenant: string;
  guard: { policy: { '2': PolicyAction; '3': PolicyAction }; typeLevels: Record<string, number>; restoreMasked: boolean };
  models: { id: string; label?: string; provider: string; origin: string; hosting: string; clearance: number; default: boolean; fallback: string[]; tenants?: string[]; levels: PerLevel<PolicyAction> }[];
  /** Monthly budgets (absent from an older server). */
  budgets?: { tenant: string; limit: { monthlyJpy?: number; monthlyTokens?: number } | null; refreshMs: number };
  review: { require: { copyright: boolean; injection: boolean; minConfidentiality: number; lowGrounding: boolean }; allowSelfReview?: boolean };
  audit: { durability: 'fsync' | 'os'; retentionDays: { effective: Record<string, number>; default: Record<string, number>; tenants: Record<string, Record<string, number>> } };
  rateLimits: { perKey: number; perTenant: number; windowMs: number; tokensPerUser?: number | null; tokensPerTenant?: number | null };
  limits: { maxBodyBytes: number; maxUploadBytes: number; maxFileBytes: number; maxMessages: number; maxMessageChars: number; requestTimeoutMs: number };
}

/** GET /api/admin/users (admin): `keyHint` is the key id (id:…), never the key. */
export interface AdminUser {
  user: string;
  role: Role;
  tenant: string;
  keyHint: string;
  /** ISO 8601, when the key has an expiry (auth.apiKeys[].expiresAt). */
  expiresAt?: string;
  expired?: boolean;
  /** The only models the key may use (auth.apiKeys[].models), when it is limited. */
  models?: string[];
  /** When the key was last used: the time of its newest audit event; null if none. */
  lastUsedAt?: string | null;
}

/** GET /api/budget: the month's budget of the caller's tenant (Japan time). */
export interface BudgetStatus {
  tenant: string;
  month: string;
  from: string;
  resetsAt: string;
  limit: { monthlyJpy?: number; monthlyTokens?: number } | null;
  spent: { jpy: number; tokens: number };
  remaining: { jpy?: number; tokens?: number };
  exceeded: boolean;
}
