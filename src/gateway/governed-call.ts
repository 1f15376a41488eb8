import { toHiragaError } from '../core/errors.js';
import { getCollection } from '../retrieval/collections.js';
import type { Store } from '../store/open.js';
import type { RouteDeps } from './deps.js';
import { governedError } from './governed.js';
import { errorBody, type OpenAiErrorBody } from './http-errors.js';
import type { Pipeline } from './pipeline.js';
import type { GovernedDelta, GovernedRequest, GovernedResult } from './types.js';
import { untilDeadline } from './until-deadline.js';

/** How the model-call routes (chat completions, responses) run a governed call over HTTP. */

/**
 * `hiraga.collection` labels a call with the collection it is about (in the audit event and usage): it must be
 * one of the caller's tenant's collections, or the call is refused with the 404 資料QA gives, so that no one
 * records a call against a collection they cannot see.
 */
export async function checkCollectionLabel(store: Store, tenant: string, name: string | undefined): Promise<void> {
  if (name !== undefined) await getCollection(store, tenant, name);
}

/** The call run to completion; a passed deadline is a 504, at the deadline even when the store does not answer. */
export async function runGoverned(pipeline: Pipeline, req: GovernedRequest & { signal: AbortSignal }, timeoutMs: number): Promise<GovernedResult> {
  try {
    return await untilDeadline(pipeline.run(req), req.signal);
  } catch (err) {
    throw governedError(err, req.signal, timeoutMs);
  }
}

/**
 * The call started as a stream, up to its first delta: the route sends 200 only then, so a policy block or
 * bad input still answers with its own status.
 */
export async function startGovernedStream(
  pipeline: Pipeline,
  req: GovernedRequest & { signal: AbortSignal },
  timeoutMs: number,
): Promise<{ it: AsyncIterator<GovernedDelta>; first: IteratorResult<GovernedDelta> }> {
  const it = pipeline.stream(req)[Symbol.asyncIterator]();
  try {
    return { it, first: await untilDeadline(it.next(), req.signal) };
  } catch (err) {
    throw governedError(err, req.signal, timeoutMs);
  }
}

/**
 * A stream that failed after its headers went out: counted and logged (secrets and personal data removed). Returns the error
 * to report in the stream's own form, or null when the client went away and there is no one to tell.
 */
export function streamFailure(deps: RouteDeps, thrown: unknown, signal: AbortSignal, requestId: string): OpenAiErrorBody | null {
  const { metrics, logger, redact, logText } = deps;
  const err = toHiragaError(governedError(thrown, signal, deps.services.config.server.requestTimeoutMs));
  metrics.errors.inc({ code: err.reason ?? err.code });
  if (signal.aborted && err.code !== 'timeout') return null;
  logger.warn({ requestId, code: err.code, err: logText(String((err.cause as Error)?.message ?? err.message)) }, 'stream failed');
  return errorBody(err, requestId, redact);
}
