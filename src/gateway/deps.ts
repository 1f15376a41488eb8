import type { GatewayMetrics } from './metrics/gateway-metrics.js';
import type { Logger } from './log.js';
import type { GatewayServices } from './services.js';

/** What every route factory receives. */
export interface RouteDeps {
  services: GatewayServices;
  metrics: GatewayMetrics;
  logger: Logger;
  redact: (text: string) => string;
}
