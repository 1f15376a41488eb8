import { loadConfig, type ResolvedConfig } from '../../src/config/load.js';
import type { AuditEventInput } from '../../src/audit/types.js';
import { tempDir } from '../helpers/store.js';

/** A resolved config with its own data directory (for the signing key). */
export function auditConfig(audit: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): ResolvedConfig {
  const dir = tempDir('hiraga-audit-');
  return loadConfig({ dataDir: dir, cwd: dir, env: {}, overrides: { audit, ...extra } });
}

export function sampleEvent(i: number, tenant = 'minato'): AuditEventInput {
  return {
    actor: { user: `staff${i % 3}`, role: 'staff', tenant },
    action: i % 2 ? 'model.call' : 'ask',
    model: { id: 'extractive', origin: 'domestic', hosting: 'on-prem' },
    collection: 'reiki',
    citedChunks: [`reiki/a.md#${i}`],
    findings: { person_name: i % 4 },
    confidentiality: 1,
    outcome: 'allow',
    usage: { prompt_tokens: 10 + i, completion_tokens: 5, total_tokens: 15 + i },
    costJpy: 0.01 * i,
    energyWh: 0.002,
    latencyMs: 12,
    content: { input: `質問 ${i}`, output: `回答 ${i}` },
  };
}
