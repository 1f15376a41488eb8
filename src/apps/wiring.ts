import type { ResolvedConfig } from '../config/load.js';
import { internalError } from '../core/errors.js';
import type { GatewayServices } from '../gateway/services.js';
import type { Store } from '../store/open.js';
import { AppService, configModelCatalogue } from './service.js';

/** The AppService on the gateway's services: the governed pipeline, the tenant's retrieval, audit and the guard's levels. */
export function appServiceFrom(services: GatewayServices): AppService {
  return new AppService({
    run: (req) => services.pipeline.run(req),
    models: configModelCatalogue(services.config),
    dateStyle: services.config.dateStyle,
    store: services.store,
    audit: services.audit,
    classify: (text) => services.guard.scan(text).confidentiality,
    search: (tenant) => async (query, { collection, k }) => {
      const { searcher, embedder } = await services.retrieval();
      return searcher.search(query, { collection, tenant, k, embedder });
    },
  });
}

/** An AppService for catalogue work only (list, add, publish): no model can be called through it. */
export function catalogueService(config: ResolvedConfig, store: Store): AppService {
  return new AppService({
    run: async () => {
      throw internalError('this AppService was built for catalogue work; running an app needs the governed pipeline (appServiceFrom)');
    },
    models: configModelCatalogue(config),
    dateStyle: config.dateStyle,
    store,
  });
}
