import type { RetrievalTables } from './tables/retrieval.js';
import type { AuditTables } from './tables/audit.js';
import type { ReviewTables } from './tables/review.js';
import type { GatewayTables } from './tables/gateway.js';
import type { EvalTables } from './tables/eval.js';
import type { AppTables } from './tables/apps.js';

/**
 * The whole store schema: one interface per domain, joined here.
 * Add a domain's tables in tables/<domain>.ts and extend this interface.
 */
export interface Database extends RetrievalTables, AuditTables, ReviewTables, GatewayTables, EvalTables, AppTables {}
