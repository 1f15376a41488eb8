import type { GovernedRequest, GovernedResult } from '../gateway/types.js';
import type { AppGovernance, AppRunContext } from './types.js';

/** Collects the governance facts of every model call one app run makes. */
export class GovernanceLog {
  private readonly results: GovernedResult[] = [];

  /** One governed model call on the app's model, tagged with the app id. */
  async call(ctx: AppRunContext, app: string, req: Omit<GovernedRequest, 'actor' | 'app' | 'model'> & { model?: string }): Promise<GovernedResult> {
    const r = await ctx.run({
      actor: ctx.actor,
      app,
      model: req.model ?? ctx.model,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(ctx.requireReview ? { requireReview: true } : {}),
      ...(ctx.declaredLevel ? { declaredLevel: ctx.declaredLevel } : {}),
      ...(ctx.purpose ? { purpose: ctx.purpose } : {}),
      ...req,
    });
    this.results.push(r);
    return r;
  }

  get calls(): number {
    return this.results.length;
  }

  /** Highest level, union of masks and flags, the review of any call that waits for one. */
  summary(): AppGovernance | undefined {
    if (!this.results.length) return undefined;
    const review = this.results.find((r) => r.review?.status === 'pending')?.review ?? this.results.find((r) => r.review)?.review;
    return {
      confidentiality: Math.max(...this.results.map((r) => r.confidentiality)) as 1 | 2 | 3,
      masked: this.results.flatMap((r) => r.masked),
      flags: [...new Set(this.results.flatMap((r) => r.flags))],
      ...(review ? { review } : {}),
      auditIds: this.results.map((r) => r.auditId),
    };
  }
}

/** True when a result is withheld for review (its content is the pending notice, not the output). */
export const awaitsReview = (r: GovernedResult) => r.review?.status === 'pending';
