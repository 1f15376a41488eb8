import type { Generated } from 'kysely';

/** One governed call's accounting (tokens, JPY, Wh), written by the gateway's usage ledger. */
export interface UsageRecordsTable {
  id: Generated<number>;
  time: string;
  /** UTC day of `time`, YYYY-MM-DD (the `bucket=day` key). */
  day: string;
  tenant: string;
  user_id: string;
  /** App id, or '' for direct chat. */
  app: string;
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost_jpy: number;
  energy_wh: number;
  latency_ms: number;
  audit_id: number | null;
}

/** Background work started over HTTP (ingest), visible from every gateway node. */
export interface GatewayJobsTable {
  id: string;
  tenant: string;
  user_id: string;
  kind: string;
  /** queued | running | done | failed */
  state: string;
  done: number;
  total: number;
  /** JSON of the finished report. */
  report: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

/** One tenant's usage in one month (Japan time), kept with the records (budgets read it). */
export interface UsageMonthlyTable {
  tenant: string;
  /** `YYYY-MM` in Japan time. */
  month: string;
  /** bigint: PostgreSQL returns it as a string. */
  calls: number | string;
  tokens: number | string;
  cost_jpy: number;
}

export interface GatewayTables {
  usage_records: UsageRecordsTable;
  usage_monthly: UsageMonthlyTable;
  gateway_jobs: GatewayJobsTable;
}
