import type { RetrievalTables } from './tables/retrieval.js';

/**
 * The whole store schema: one interface per domain, joined here.
 * Add a domain's tables in tables/<domain>.ts and extend this interface.
 */
export interface Database extends RetrievalTables {}
