import type { Generated } from 'kysely';

/** One scored (model, item) of a suite: the resumable cache of evaluation runs. */
export interface EvalResultsTable {
  /** SHA-256 of the plain suite JSONL: results belong to exactly this suite version. */
  suite_sha256: string;
  model: string;
  item_id: string;
  /** The ItemResult as JSON. */
  result: string;
  /** Which process scored it (host:pid), for queue runs. */
  worker: string;
  /** 1 when the item's call failed (upstream fault): kept so queue runs see it finished, never used as a cache hit. */
  failed: number;
  created_at: string;
}

/** One `eval run`: its suite, models, state and (when finished) its results and report. */
export interface EvalRunsTable {
  id: Generated<number>;
  suite_path: string;
  suite_sha256: string;
  /** SHA-256 of the suite file as given (the sealed file's hash when sealed). */
  file_sha256: string;
  sealed: number;
  /** JSON array of model ids. */
  models: string;
  items: number;
  /** running | finished | interrupted */
  status: string;
  started_at: string;
  finished_at: string | null;
  /** results.json, once finished. */
  results: string | null;
  report_html: string | null;
}

export interface EvalTables {
  eval_results: EvalResultsTable;
  eval_runs: EvalRunsTable;
}
