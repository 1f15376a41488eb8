import type { Actor, Citation, Confidentiality, SearchHit } from '../core/types.js';
import type { GovernedRequest, GovernedResult } from '../gateway/types.js';
import type { AppDefinition } from './definition.js';

/** The governed model call (guard → policy → model → output checks → review → audit). Apps never call a model any other way. */
export type RunGoverned = (req: GovernedRequest) => Promise<GovernedResult>;

/** Retrieval, scoped to the actor's tenant by the caller. */
export type SearchFn = (query: string, options: { collection: string; k: number }) => Promise<SearchHit[]>;

/** Facts about the models an app can choose from. */
export interface ModelCatalogue {
  defaultModel: string;
  /** Whether the model writes new text (false for the extractive answerer, which only quotes). */
  isGenerative(id: string): boolean;
  has(id: string): boolean;
  /**
   * Whether the caller may use a configured model (`models[].tenants`, the key's `auth.apiKeys[].models`): the
   * check GET /v1/models and the pipeline make. To a caller who may not, the model does not exist. Absent:
   * every configured model is everyone's.
   */
  mayUse?(id: string, actor: Pick<Actor, 'tenant' | 'role' | 'models'>): boolean;
}

/** Everything an app needs to run. */
export interface AppRunContext {
  actor: Actor;
  run: RunGoverned;
  search?: SearchFn;
  models: ModelCatalogue;
  /** The model the app runs on (already resolved from the request, the definition and the default). */
  model: string;
  dateStyle: 'wareki' | 'seireki';
  /** Today, for documents (injectable for tests). */
  now: () => Date;
  signal?: AbortSignal;
  /** The app requires a reviewer's approval before its output is released. */
  requireReview?: boolean;
  /** A level the user declared for the inputs. */
  declaredLevel?: Confidentiality;
  /** 'test': the app builder's trial run (see GovernedRequest.purpose). */
  purpose?: 'test';
}

/** Governance facts of the model calls an app made (the last one, with the strictest values merged). */
export interface AppGovernance {
  confidentiality: Confidentiality;
  masked: GovernedResult['masked'];
  flags: GovernedResult['flags'];
  review?: GovernedResult['review'];
  auditIds: number[];
}

export interface AppResult {
  app: string;
  /** The generated or computed text. */
  output: string;
  /** The model that produced it, or null when no model was called (deterministic apps). */
  model: string | null;
  citations?: Citation[];
  abstained?: boolean;
  /** A .docx rendering of the output (文書作成). */
  docx?: Uint8Array;
  /** App-specific structured data (proofreading findings, glossary checks, summary parts …). */
  data?: Record<string, unknown>;
  governance?: AppGovernance;
}

/** Inputs after validation: every declared input, as text. */
export type AppInputs = Record<string, string>;

/** A built-in app: its definition and its code. */
export interface BuiltinApp {
  definition: AppDefinition;
  execute(inputs: AppInputs, ctx: AppRunContext): Promise<AppResult>;
}
