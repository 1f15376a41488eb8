import { Counter, Gauge, Histogram, Registry } from './registry.js';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Every metric the gateway exports on /metrics, created once per process. */
export function createGatewayMetrics() {
  const registry = new Registry();
  const m = {
    registry,
    requests: registry.register(new Counter('hiraga_http_requests_total', 'HTTP requests by route, method and status.', ['route', 'method', 'status'])),
    latency: registry.register(new Histogram('hiraga_http_request_duration_seconds', 'Time to the response headers, by route.', ['route', 'method'], LATENCY_BUCKETS)),
    ttft: registry.register(new Histogram('hiraga_stream_first_token_seconds', 'Time from request to the first streamed token.', ['model'], LATENCY_BUCKETS)),
    inflight: registry.register(new Gauge('hiraga_http_inflight_requests', 'Requests being handled now.')),
    streams: registry.register(new Gauge('hiraga_streams_active', 'SSE streams open now.')),
    tokens: registry.register(new Counter('hiraga_tokens_total', 'Tokens by model and kind (prompt|completion).', ['model', 'kind'])),
    costJpy: registry.register(new Counter('hiraga_cost_jpy_total', 'Estimated cost in JPY by model.', ['model'])),
    energyWh: registry.register(new Counter('hiraga_energy_wh_total', 'Estimated energy in Wh by model.', ['model'])),
    guardFindings: registry.register(new Counter('hiraga_guard_findings_total', 'Personal-data findings masked, by type.', ['type'])),
    guardFlags: registry.register(new Counter('hiraga_guard_flags_total', 'Guard flags raised, by flag.', ['flag'])),
    policy: registry.register(new Counter('hiraga_policy_outcomes_total', 'Policy outcomes (allow|mask|block|review) by model.', ['outcome', 'model'])),
    rateLimited: registry.register(new Counter('hiraga_rate_limited_total', 'Requests refused by a rate limit, by scope (key|tenant requests; user_tokens|tenant_tokens tokens).', ['scope'])),
    rateLimiterErrors: registry.register(new Counter('hiraga_rate_limiter_errors_total', 'Rate-limiter backend failures (requests were let through).')),
    budgetSpent: registry.register(new Gauge('hiraga_budget_spent', "A tenant's spend this month (Japan time) as this node counts it, by unit (jpy|tokens); tenants with a budget this node has served.", ['tenant', 'unit'])),
    budgetLimit: registry.register(new Gauge('hiraga_budget_limit', "A tenant's monthly budget, by unit (jpy|tokens).", ['tenant', 'unit'])),
    keyExpiry: registry.register(new Gauge('hiraga_api_key_expiry_timestamp_seconds', 'When an API key with an expiresAt stops working (Unix seconds), by key id and tenant.', ['key', 'tenant'])),
    apiKeys: registry.register(new Gauge('hiraga_api_keys', 'API keys in force on this node (after the last reload).')),
    keyReloads: registry.register(new Counter('hiraga_api_key_reloads_total', 'API key reloads (SIGHUP or POST /api/admin/reload-keys) by outcome (ok|error; error: the keys in force were kept).', ['outcome'])),
    errors: registry.register(new Counter('hiraga_errors_total', 'Error responses by code.', ['code'])),
    rss: registry.register(new Gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', [], () => process.memoryUsage().rss)),
    heap: registry.register(new Gauge('nodejs_heap_used_bytes', 'V8 heap used in bytes.', [], () => process.memoryUsage().heapUsed)),
    uptime: registry.register(new Gauge('process_uptime_seconds', 'Seconds since the process started.', [], () => process.uptime())),
  };
  // Series an alert watches for "any increase" exist from the start at 0: Prometheus' increase() and rate() see
  // nothing when a series first appears already at 1, so the first key-reload error or Redis failure went unalerted.
  m.rateLimiterErrors.inc({}, 0);
  for (const outcome of ['ok', 'error']) m.keyReloads.inc({ outcome }, 0);
  for (const scope of ['key', 'tenant', 'user_tokens', 'tenant_tokens']) m.rateLimited.inc({ scope }, 0);
  return m;
}

/** The policy outcomes of each configured model, at 0 until they happen (a first block must show as an increase). */
export function zeroPolicyOutcomes(metrics: GatewayMetrics, modelIds: Iterable<string>): void {
  for (const model of modelIds) for (const outcome of ['allow', 'mask', 'block', 'review']) metrics.policy.inc({ outcome, model }, 0);
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
