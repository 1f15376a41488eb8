import crypto from 'node:crypto';
import type { AuditSink } from '../audit/types.js';
import { badInput, HiragaError, notFound, policyBlock } from '../core/errors.js';
import type { Actor, Confidentiality } from '../core/types.js';
import { mayUse } from '../models/access.js';
import type { Store } from '../store/open.js';
import { BUILTIN_APPS, builtinApp } from './builtin/index.js';
import { runDefinedApp } from './custom.js';
import { validateDefinition, type AppDefinition } from './definition.js';
import { validateInputs } from './inputs.js';
import { AppRepository, type StoredApp } from './repository.js';
import type { AppResult, AppRunContext, ModelCatalogue, RunGoverned, SearchFn } from './types.js';

/** The catalogue entry (`apps list --json` uses id,title,description,builtin). */
export interface AppSummary {
  id: string;
  title: string;
  description: string;
  builtin: boolean;
  inputs: AppDefinition['inputs'];
  version?: number;
  published?: boolean;
}

export interface AppServiceDeps {
  /** The governed pipeline's run. */
  run: RunGoverned;
  models: ModelCatalogue;
  dateStyle: 'wareki' | 'seireki';
  /** Where user-defined apps live; without it only built-in apps and definition files run. */
  store?: Store;
  /** Retrieval for the actor's tenant. */
  search?: (tenant: string) => SearchFn;
  /** Records runs that call no model (the pipeline audits model calls itself). */
  audit?: AuditSink;
  /** The guard's confidentiality level of a text, to enforce an app's ceiling before any model sees the input. */
  classify?: (text: string) => Confidentiality;
  now?: () => Date;
}

export interface RunOptions {
  model?: string;
  declaredLevel?: Confidentiality;
  signal?: AbortSignal;
  /** 'test': a trial run of the app builder (recorded as such; see GovernedRequest.purpose). */
  purpose?: 'test';
}

export interface AppRunOutcome extends AppResult {
  /** Audit event of the run (the last model call, or the app.run event of a deterministic app). */
  auditId?: number;
}

const forbidden = (message: string) => new HiragaError('forbidden', message);
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const canCreate = (a: Actor) => a.role === 'staff' || a.role === 'reviewer' || a.role === 'admin';

/**
 * The apps domain as the CLI and the gateway call it: the catalogue (built-in + the tenant's apps),
 * creating versions, publishing, and running — every model call through the governed pipeline.
 */
export class AppService {
  private readonly repo: AppRepository | null;

  constructor(private readonly deps: AppServiceDeps) {
    this.repo = deps.store ? new AppRepository(deps.store) : null;
  }

  /** Built-in apps, then the tenant's published apps and the actor's own drafts (admins see all drafts). */
  async list(actor: Actor): Promise<AppSummary[]> {
    const builtins = Object.values(BUILTIN_APPS).map(({ definition: d }) => ({ id: d.id, title: d.title, description: d.description, builtin: true, inputs: d.inputs }));
    if (!this.repo) return builtins;
    const own: AppSummary[] = [];
    for (const app of await this.repo.list(actor.tenant)) {
      const version = this.visibleVersion(actor, app);
      if (version === null) continue;
      const def = await this.repo.definition(actor.tenant, app.id, version);
      own.push({ id: app.id, title: def.title, description: def.description, builtin: false, inputs: def.inputs, version, published: app.publishedVersion !== null });
    }
    return [...builtins, ...own];
  }

  /** One app's definition as the actor may see it. */
  async get(actor: Actor, id: string): Promise<{ definition: AppDefinition; builtin: boolean; version?: number; published?: boolean }> {
    const builtin = builtinApp(id);
    if (builtin) return { definition: builtin.definition, builtin: true };
    const { def, version, app } = await this.load(actor, id);
    return { definition: def, builtin: false, version, published: app.publishedVersion !== null };
  }

  /** Save a definition in the actor's tenant as a new version (staff create and test; only the creator or an admin adds versions). */
  async create(actor: Actor, value: unknown): Promise<StoredApp> {
    if (!canCreate(actor)) throw forbidden(`role ${actor.role} may not create apps`);
    const repo = this.requireRepo();
    const def = this.checkDefinition(actor, value);
    const existing = await repo.find(actor.tenant, def.id);
    // Another user's app: saying whose would name a colleague (and their unpublished draft) to anyone who guesses the id.
    if (existing && existing.createdBy !== actor.user && actor.role !== 'admin') {
      throw new HiragaError('forbidden', `アプリID「${def.id}」は既に使われています。別のIDを選んでください / the app id "${def.id}" is already in use in your organisation; choose another id`, {
        reason: 'app_id_taken',
        details: { param: 'id' },
      });
    }
    return repo.save(actor.tenant, def, actor.user);
  }

  /**
   * Run a definition that is not saved (the app builder's test pane): whoever may create apps, with the
   * checks a save makes, then exactly the run of a stored app — governed and audited, but nothing is stored.
   */
  async test(actor: Actor, value: unknown, rawInputs: Record<string, unknown>, options: RunOptions = {}): Promise<AppRunOutcome> {
    if (!canCreate(actor)) throw forbidden(`role ${actor.role} may not create apps, so may not test one`);
    const def = this.checkDefinition(actor, value);
    // As a save would store it: in the caller's tenant.
    return this.run(actor, { ...def, tenant: actor.tenant }, rawInputs, { ...options, purpose: 'test' });
  }

  /** Admins publish a version (default: the latest) to the tenant catalogue. */
  async publish(actor: Actor, id: string, version?: number): Promise<StoredApp> {
    if (actor.role !== 'admin') throw forbidden('only an admin may publish apps to the tenant catalogue');
    const repo = this.requireRepo();
    const app = await repo.find(actor.tenant, id);
    if (!app) throw notFound(`no app ${id} in tenant ${actor.tenant}`);
    return repo.publish(actor.tenant, id, version ?? app.latestVersion, actor.user);
  }

  async versions(actor: Actor, id: string) {
    await this.load(actor, id);
    return this.requireRepo().versions(actor.tenant, id);
  }

  /** Run a built-in app, a stored app (by id) or a definition given directly (a file). */
  async run(actor: Actor, app: string | AppDefinition, rawInputs: Record<string, unknown>, options: RunOptions = {}): Promise<AppRunOutcome> {
    const builtin = typeof app === 'string' ? builtinApp(app) : undefined;
    const def = builtin ? builtin.definition : typeof app === 'string' ? (await this.load(actor, app)).def : app;
    if (def.tenant && !builtin && def.tenant !== actor.tenant) throw forbidden(`app ${def.id} belongs to tenant ${def.tenant}`);
    const inputs = validateInputs(def, rawInputs);
    const model = this.chooseModel(actor, def, options.model);
    this.checkCeiling(def, inputs);
    const ctx: AppRunContext = {
      actor,
      run: this.deps.run,
      ...(this.deps.search ? { search: this.deps.search(actor.tenant) } : {}),
      models: this.deps.models,
      model,
      dateStyle: this.deps.dateStyle,
      now: this.deps.now ?? (() => new Date()),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(def.review ? { requireReview: true } : {}),
      ...(options.declaredLevel ? { declaredLevel: options.declaredLevel } : {}),
      ...(options.purpose ? { purpose: options.purpose } : {}),
    };
    const result = builtin ? await builtin.execute(inputs, ctx) : await runDefinedApp(def, inputs, ctx);
    if (result.governance && result.governance.confidentiality > def.confidentiality) {
      throw policyBlock(`app ${def.id} accepts confidentiality up to ${def.confidentiality}; this input is level ${result.governance.confidentiality}. The output is withheld.`, {
        reason: 'confidentiality_exceeds_app_ceiling',
      });
    }
    let auditId = result.governance?.auditIds.at(-1);
    if (!result.governance && this.deps.audit) {
      const input = JSON.stringify(inputs);
      const event = await this.deps.audit.append({
        actor,
        action: 'app.run',
        app: def.id,
        outcome: 'ok',
        inputSha256: sha256(input),
        outputSha256: sha256(result.output),
        detail: { model: null, deterministic: true, ...(options.purpose ? { purpose: options.purpose } : {}) },
      });
      auditId = event.id;
    }
    return { ...result, ...(auditId !== undefined ? { auditId } : {}) };
  }

  private requireRepo(): AppRepository {
    if (!this.repo) throw badInput('no store is configured for user-defined apps');
    return this.repo;
  }

  /** Creator and admins see the latest version; everyone else in the tenant the published one. */
  private visibleVersion(actor: Actor, app: StoredApp): number | null {
    if (app.createdBy === actor.user || actor.role === 'admin') return app.latestVersion;
    return app.publishedVersion;
  }

  private async load(actor: Actor, id: string): Promise<{ def: AppDefinition; version: number; app: StoredApp }> {
    const repo = this.requireRepo();
    const app = await repo.find(actor.tenant, id);
    const version = app ? this.visibleVersion(actor, app) : null;
    if (!app || version === null) {
      const known = (await this.list(actor)).map((a) => a.id);
      throw notFound(`no app "${id}"; apps: ${known.join(', ')}`);
    }
    return { def: await repo.definition(actor.tenant, id, version), version, app };
  }

  /** What a save checks: the schema (errors name the field), the tenant, the id, the models. */
  private checkDefinition(actor: Actor, value: unknown): AppDefinition {
    const def = validateDefinition(value);
    if (def.tenant && def.tenant !== actor.tenant) throw forbidden(`the definition names tenant "${def.tenant}", but you are in tenant "${actor.tenant}"`);
    if (builtinApp(def.id)) throw badInput(`id = "${def.id}" is a built-in app; choose another id`, { reason: 'invalid_app_definition', details: { param: 'id' } });
    this.checkModels(actor, def);
    return def;
  }

  /** Configured and open to the caller: a model the caller may not use answers exactly as one that does not exist. */
  private usable(actor: Actor, id: string): boolean {
    return this.deps.models.has(id) && (this.deps.models.mayUse?.(id, actor) ?? true);
  }

  private checkModels(actor: Actor, def: AppDefinition): void {
    for (const [i, m] of (def.models ?? (def.model ? [def.model] : [])).entries()) {
      const field = def.models ? `models[${i}]` : 'model';
      if (!this.usable(actor, m)) {
        throw badInput(`モデル「${m}」はありません。GET /v1/models で使えるモデルを確認してください / ${field} = "${m}" names no configured model you may use; GET /v1/models lists yours`, {
          reason: 'invalid_app_definition',
          details: { param: field },
        });
      }
    }
  }

  private chooseModel(actor: Actor, def: AppDefinition, requested: string | undefined): string {
    const allowed = def.models ?? (def.model ? [def.model] : null);
    if (requested && allowed && !allowed.includes(requested)) throw badInput(`app ${def.id} runs on ${allowed.join(', ')}; "${requested}" is not one of them`);
    const model = requested ?? allowed?.[0] ?? this.deps.models.defaultModel;
    // A model the caller names is checked as GET /v1/models would list it; the app's own and the default are the
    // pipeline's to refuse (model_not_found), as for any call.
    if (requested ? !this.usable(actor, model) : !this.deps.models.has(model)) {
      throw badInput(`モデル「${model}」はありません。GET /v1/models で使えるモデルを確認してください / model "${model}" is not configured for you; GET /v1/models lists the models you may use`, { details: { param: 'model' } });
    }
    return model;
  }

  private checkCeiling(def: AppDefinition, inputs: Record<string, string>): void {
    if (!this.deps.classify || def.confidentiality >= 3) return;
    const level = Math.max(1, ...Object.values(inputs).map((v) => (v ? this.deps.classify!(v) : 1)));
    if (level > def.confidentiality) {
      throw policyBlock(`app ${def.id} accepts confidentiality up to ${def.confidentiality}; the input is level ${level}`, { reason: 'confidentiality_exceeds_app_ceiling' });
    }
  }
}

/** A model catalogue from the resolved config. */
export function configModelCatalogue(config: { defaultModel: string; models: readonly { id: string; provider: string; tenants?: string[] }[] }): ModelCatalogue {
  const byId = new Map(config.models.map((m) => [m.id, m]));
  return {
    defaultModel: config.defaultModel,
    has: (id) => byId.has(id),
    isGenerative: (id) => (byId.get(id)?.provider ?? 'extractive') !== 'extractive',
    mayUse: (id, actor) => {
      const m = byId.get(id);
      return m !== undefined && mayUse(m, actor);
    },
  };
}
