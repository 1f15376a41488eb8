import type { GatewayMetrics } from './metrics/gateway-metrics.js';
import type { Logger } from './log.js';
import type { GatewayServices } from './services.js';

/** What every route factory receives. */
export interface RouteDeps {
  services: GatewayServices;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Removes configured secrets and bearer tokens: for error bodies (the caller sees its own text) and the log. */
  redact: (text: string) => string;
  /** `redact`, then personal data masked by the guard: for any text of others' (an error's message or stack) put in the log. */
  logText: (text: string) => string;
}
