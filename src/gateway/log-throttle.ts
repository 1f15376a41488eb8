import type { Logger } from './log.js';

/**
 * A warning that can repeat on every request (Redis away: each request's rate-limit check fails) written at most
 * once per `intervalMs`: the first at once, then one line per interval with `suppressed`, the number left out since
 * the last line. Without it an outage wrote one identical line per request — hundreds a second on a busy node,
 * burying everything else in the log. Count each occurrence in a metric; the log says it is happening.
 */
export function throttledWarning(logger: Logger, message: string, intervalMs = 10_000): (fields: Record<string, unknown>) => void {
  let lastAt = -Infinity;
  let suppressed = 0;
  return function warn(fields) {
    const now = performance.now();
    if (now - lastAt < intervalMs) {
      suppressed++;
      return;
    }
    lastAt = now;
    logger.warn(suppressed ? Object.assign({}, fields, { suppressed }) : fields, message);
    suppressed = 0;
  };
}
