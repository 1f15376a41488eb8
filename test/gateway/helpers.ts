import path from 'node:path';
import { loadConfig, type ResolvedConfig } from '../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../src/gateway/server.js';
import { createLogger } from '../../src/gateway/log.js';
import type { RateLimiter } from '../../src/gateway/limits/rate-limiter.js';
import { tempDir } from '../helpers/store.js';

export const KEYS = {
  staff: 'key-staff-minato-0001',
  staff2: 'key-staff-minato-0002',
  reviewer: 'key-reviewer-minato-01',
  admin: 'key-admin-minato-0001',
  auditor: 'key-auditor-minato-01',
  other: 'key-staff-chiyoda-0001',
} as const;

export const UPSTREAM_SECRET = 'sk-upstream-secret-do-not-leak-42';

export function apiKeys() {
  return [
    { key: KEYS.staff, user: 'staff1', role: 'staff', tenant: 'minato' },
    { key: KEYS.staff2, user: 'staff2', role: 'staff', tenant: 'minato' },
    { key: KEYS.reviewer, user: 'rev1', role: 'reviewer', tenant: 'minato' },
    { key: KEYS.admin, user: 'admin1', role: 'admin', tenant: 'minato' },
    { key: KEYS.auditor, user: 'aud1', role: 'auditor', tenant: 'minato' },
    { key: KEYS.other, user: 'staff9', role: 'staff', tenant: 'chiyoda' },
  ];
}

/** Models on a local upstream: `up` (domestic, cleared for 3, embeddings) and `foreign` (clearance 1). */
export function upstreamModels(url: string) {
  return [
    { id: 'up', provider: 'openai-compatible', baseUrl: url, model: 'upstream-model', apiKey: UPSTREAM_SECRET, origin: 'domestic', hosting: 'on-prem', clearance: 3, embeddingModel: 'upstream-model', retries: 0, priceInputPer1k: 1, priceOutputPer1k: 2, watts: 300 },
    { id: 'foreign', provider: 'openai-compatible', baseUrl: url, model: 'upstream-model', apiKey: UPSTREAM_SECRET, origin: 'foreign', hosting: 'foreign-cloud', clearance: 1, retries: 0 },
  ];
}

export function testConfig(overrides: Record<string, unknown>, dataDir = tempDir('hiraga-gw-')): ResolvedConfig {
  return loadConfig({ dataDir, env: { ...process.env, HIRAGA_CONFIG: '', HIRAGA_DATABASE_URL: '', HIRAGA_REDIS_URL: '' }, cwd: dataDir, overrides: { defaultModel: 'up', auth: { apiKeys: apiKeys() }, ...overrides } });
}

export async function startTestGateway(config: ResolvedConfig, extra: { webDir?: string; limiter?: RateLimiter } = {}): Promise<RunningGateway> {
  return startGateway({ config, port: 0, host: '127.0.0.1', logger: createLogger('silent'), webDir: extra.webDir ?? path.join(config.dataDir, 'no-web'), ...(extra.limiter ? { limiter: extra.limiter } : {}) });
}

export async function call(gw: { url: string }, pathName: string, init: { key?: string; body?: unknown; raw?: string; method?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.headers ?? {}) };
  if (init.body !== undefined || init.raw !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(gw.url + pathName, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers,
    ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, text, json };
}
