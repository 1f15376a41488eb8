import { notFound, type HiragaError } from '../core/errors.js';
import type { Actor } from '../core/types.js';
import type { ModelInfo } from './types.js';

/**
 * Whether a caller may use a model. A model without `tenants` is everyone's; one with `tenants` (a domestic
 * model on trial with a pilot organisation, say) only its tenants', and an admin of tenant `*` sees all. A key
 * limited to some models (`auth.apiKeys[].models`) may use only those.
 * To everyone else such a model does not exist: listings leave it out and calls naming it get 404.
 */
export function mayUse(model: Pick<ModelInfo, 'id' | 'tenants'>, actor: Pick<Actor, 'tenant' | 'role' | 'models'>): boolean {
  if (actor.models && !actor.models.includes(model.id)) return false;
  if (!model.tenants) return true;
  return model.tenants.includes(actor.tenant) || (actor.role === 'admin' && actor.tenant === '*');
}

/** 404 `model_not_found` for a model that is not configured or not the caller's; `usable` names theirs. */
export function modelNotFound(id: string, usable?: readonly string[]): HiragaError {
  const hint = usable ? `use one of: ${usable.join(', ') || '(none)'} (GET /v1/models)` : 'GET /v1/models lists the models you may use';
  return notFound(`モデル「${id}」はありません / the model "${id}" does not exist; ${hint}`, { reason: 'model_not_found', details: { param: 'model' } });
}

/** The models a caller may use, in configured order. */
export function usableModels(models: { list(): ModelInfo[] }, actor: Pick<Actor, 'tenant' | 'role' | 'models'>): ModelInfo[] {
  return models.list().filter((m) => mayUse(m, actor));
}

/** Throws `model_not_found` unless the model is configured and the caller may use it. */
export function checkModel(models: { list(): ModelInfo[]; has(id: string): boolean; get(id: string): { info: ModelInfo } }, id: string, actor: Pick<Actor, 'tenant' | 'role' | 'models'>): void {
  if (models.has(id) && mayUse(models.get(id).info, actor)) return;
  throw modelNotFound(id, usableModels(models, actor).map((m) => m.id));
}
