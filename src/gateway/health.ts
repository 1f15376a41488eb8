import { sql } from 'kysely';
import type { Store } from '../store/open.js';
import type { RateLimiter } from './limits/rate-limiter.js';

/** How long /healthz waits for the store or Redis: a balancer's probe (2–5 s, typically) gets an answer, not a timeout. */
export const HEALTH_TIMEOUT_MS = 1500;

export type ProbeState = 'ok' | 'unreachable' | 'timeout';

export interface HealthReport {
  /** 200 while the node can serve; 503 when the store cannot be reached or the node is shutting down. */
  httpStatus: 200 | 503;
  body: Record<string, string>;
}

/** `work`, or 'timeout' once `ms` have passed (the work goes on; its result is ignored). */
async function within(work: () => Promise<unknown>, ms: number): Promise<ProbeState> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ProbeState>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([work().then((): ProbeState => 'ok'), late]);
  } catch {
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The store answers `select 1`. A failure is tried again (three tries in all, 25 ms apart, within the deadline):
 * after PostgreSQL ended the pool's connections (a restart, a failover, pg_terminate_backend) a query can take an
 * idle connection that is already gone before the pool has noticed, and the pool replaces it — a node that works
 * must not drop out of the balancer for that. A database that is really gone fails all three at once.
 */
async function probeStore(store: Pick<Store, 'db'>, deadline: number): Promise<ProbeState> {
  const query = () => sql`select 1`.execute(store.db);
  let state: ProbeState = 'timeout';
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt) await new Promise((r) => setTimeout(r, 25));
    const left = deadline - Date.now();
    if (left <= 0) return 'timeout';
    state = await within(query, left);
    if (state !== 'unreachable') return state;
  }
  return state;
}

/**
 * What /healthz answers. The store decides: without it no call can be audited, so 503 (the balancer stops
 * sending). Redis (shared rate limits) is reported but does not make the node unhealthy: while it is down the
 * limits let requests through, and taking every node out for it would stop the whole service.
 */
export async function checkHealth(o: { store: Pick<Store, 'db' | 'dialect'>; limiter: RateLimiter; version: string; shuttingDown: boolean; timeoutMs?: number }): Promise<HealthReport> {
  if (o.shuttingDown) return { httpStatus: 503, body: { status: 'shutting_down' } };
  const deadline = Date.now() + (o.timeoutMs ?? HEALTH_TIMEOUT_MS);
  const ping = o.limiter.ping?.bind(o.limiter);
  const [store, redis] = await Promise.all([probeStore(o.store, deadline), ping ? within(ping, deadline - Date.now()) : Promise.resolve(null)]);
  const body: Record<string, string> = store === 'ok' ? { status: 'ok', version: o.version, store: o.store.dialect } : { status: 'unhealthy', version: o.version, store: store };
  body.limiter = o.limiter.kind;
  if (redis) body.redis = redis;
  return { httpStatus: store === 'ok' ? 200 : 503, body };
}
