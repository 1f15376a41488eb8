import { HiragaError } from '../core/errors.js';
import type { GatewayMetrics } from './metrics/gateway-metrics.js';
import { timedOut } from './middleware/deadline.js';
import type { GovernedRequest, GovernedResult } from './types.js';
import type { UsageLedger } from './usage.js';

/** Metrics of every governed call: tokens, cost, energy, guard findings and flags, policy outcome. */
export function observeResult(metrics: GatewayMetrics, r: GovernedResult): void {
  const model = r.model.id;
  metrics.tokens.inc({ model, kind: 'prompt' }, r.usage.prompt_tokens);
  metrics.tokens.inc({ model, kind: 'completion' }, r.usage.completion_tokens);
  metrics.costJpy.inc({ model }, r.costJpy);
  metrics.energyWh.inc({ model }, r.energyWh);
  for (const m of r.masked) metrics.guardFindings.inc({ type: m.type });
  for (const f of r.flags) metrics.guardFlags.inc({ flag: f });
  metrics.policy.inc({ outcome: r.review ? 'review' : r.policy, model });
}

/** The usage row of a governed call. */
export function recordUsage(usage: UsageLedger, req: GovernedRequest, r: GovernedResult): void {
  usage.record({
    tenant: req.actor.tenant,
    user: req.actor.user,
    app: req.app && req.purpose === 'test' ? `${req.app} (test)` : req.app,
    model: r.model.id,
    usage: r.usage,
    costJpy: r.costJpy,
    energyWh: r.energyWh,
    latencyMs: r.latencyMs,
    auditId: r.auditId,
  });
}

/** A failure of a governed call as the caller should see it: a passed deadline is a 504, not an upstream error. */
export function governedError(err: unknown, signal: AbortSignal, timeoutMs: number): unknown {
  if (timedOut(signal)) {
    return new HiragaError('timeout', `処理が制限時間（${Math.round(timeoutMs / 1000)}秒）内に終わりませんでした / the request took longer than ${Math.round(timeoutMs / 1000)} s (server.requestTimeoutMs)`, {
      reason: 'request_timeout',
      cause: err,
    });
  }
  return err;
}
