import crypto from 'node:crypto';
import type { Actor } from '../../core/types.js';
import type { SuiteItem } from '../suite/schema.js';

export const DEFAULT_QUEUE = 'hiraga-eval';

/** One (model, item) of a run: everything a worker on another machine needs (the item travels with the job). */
export interface EvalJobData {
  suiteSha256: string;
  model: string;
  item: SuiteItem;
  actor: Actor;
}

/**
 * A job id per (suite, model, item) and enqueue round. The round makes a re-enqueue never collide with a job
 * of an earlier round that is still finishing (BullMQ silently ignores an id that exists). BullMQ ids may not contain ':'.
 */
export const jobIdFor = (suiteSha256: string, model: string, itemId: string, round: string) =>
  `eval-${crypto.createHash('sha256').update(`${suiteSha256}\u0000${model}\u0000${itemId}`).digest('hex').slice(0, 32)}-${round}`;

/** Redis connection options BullMQ workers need (blocking commands must not time out). */
export function redisOptions(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    maxRetriesPerRequest: null,
  };
}
