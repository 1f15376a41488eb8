import os from 'node:os';
import type { AuditSink } from '../../audit/types.js';
import { changedSections } from '../../config/diff.js';
import type { ResolvedConfig } from '../../config/load.js';
import { badInput, HiragaError } from '../../core/errors.js';
import type { Actor } from '../../core/types.js';
import type { Logger } from '../log.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { configuredKeys, plaintextKeys, publishKeys } from './configured-keys.js';
import type { KeySetChange, LiveKeys } from './live-keys.js';

/** Who asked for a reload: a signal to the process, or an administrator over HTTP (POST /api/admin/reload-keys). */
export type ReloadTrigger = { signal: string } | { actor: Actor };

export interface KeyReloadResult extends KeySetChange {
  /** Keys in force now. */
  keys: number;
  /** Parts of the config that differ from the running one and were not applied (restart to apply). */
  notApplied: string[];
}

export interface KeyReloadDeps {
  /** The configuration the gateway started with: everything but the keys stays as it was. */
  running: ResolvedConfig;
  keys: LiveKeys;
  /** Reads the config file again, as at start (same path, validation, `env:` resolution); null: there is no file to re-read. */
  load: (() => ResolvedConfig) | null;
  logger: Logger;
  metrics: GatewayMetrics;
  audit: AuditSink;
  /** Secrets to redact from now on (plaintext keys the new config brought in). */
  addSecrets(secrets: string[]): void;
  redact(text: string): string;
}

/** Parts of the config a reload never applies, besides the keys: derived from the command line and the environment. */
const NOT_CONFIG = ['auth.apiKeys', 'configPath', 'dataDir', 'store'];

/** The signal's audit actor: the operator of the host, not a credential of the gateway. */
const SYSTEM: Actor = { user: 'system', role: 'admin', tenant: '*' };

/**
 * Reload the API keys from the config file without a restart. Reading, validating and building the new key
 * table all happen before the one reference swap (LiveKeys.swap), synchronously, so two reloads never
 * interleave and no lookup sees a half-built table. A config that fails keeps the keys in force, logs one
 * error (the file and the reason, never a secret) and rejects with `config_invalid` (409). Either way the
 * attempt is an audit event (`admin.change`, detail.change `api_keys.reload`) with key ids, never keys.
 */
export function keyReloader(d: KeyReloadDeps): (trigger: ReloadTrigger) => Promise<KeyReloadResult> {
  const file = d.running.configPath;
  const node = `${os.hostname()}:${process.pid}`;

  const record = async (trigger: ReloadTrigger, outcome: 'done' | 'error', detail: Record<string, unknown>) => {
    const actor = 'actor' in trigger ? trigger.actor : SYSTEM;
    const how = 'actor' in trigger ? { trigger: 'api' } : { trigger: 'signal', signal: trigger.signal };
    try {
      await d.audit.append({ actor, action: 'admin.change', outcome, detail: Object.assign({ change: 'api_keys.reload', node }, how, detail) });
    } catch (err) {
      d.logger.error({ err: d.redact((err as Error).message) }, 'the audit event of an API key reload could not be recorded');
    }
  };

  return async function reloadKeys(trigger) {
    const by = 'actor' in trigger ? (trigger.actor.credential ?? trigger.actor.user) : trigger.signal;
    let next: { config: ResolvedConfig; ring: ReturnType<typeof configuredKeys>['ring'] };
    try {
      if (!d.load) throw badInput('this gateway was started without a config file to re-read; restart it to change its keys');
      const config = d.load();
      keyModelsRunHere(config, d.running);
      next = { config, ring: configuredKeys(config, { createLocalAdmin: false }).ring };
      d.addSecrets(plaintextKeys(config));
    } catch (err) {
      const reason = d.redact((err as Error).message);
      d.metrics.keyReloads.inc({ outcome: 'error' });
      d.logger.error({ config: file, by, err: reason }, 'API keys not reloaded; the keys in force are unchanged');
      await record(trigger, 'error', { error: reason });
      throw new HiragaError('bad_input', `APIキーを再読み込みできませんでした。現在のキーのまま動作しています / API keys not reloaded, the keys in force are unchanged: ${reason}`, { reason: 'config_invalid' });
    }

    const change = d.keys.swap(next.ring);
    const notApplied = changedSections(d.running, next.config, NOT_CONFIG);
    d.metrics.keyReloads.inc({ outcome: 'ok' });
    publishKeys(d.keys, d.metrics, d.logger);
    if (notApplied.length) d.logger.warn({ config: file, sections: notApplied }, `config changes not applied by a reload (restart to apply: ${notApplied.join(', ')})`);
    d.logger.info({ config: file, by, keys: d.keys.size, added: change.added, removed: change.removed, changed: change.changed }, 'API keys reloaded');
    const result: KeyReloadResult = { keys: d.keys.size, added: change.added, removed: change.removed, changed: change.changed, tenants: change.tenants, notApplied };
    await record(trigger, 'done', { keys: result.keys, added: result.added, removed: result.removed, changed: result.changed, notApplied });
    return result;
  };
}

/**
 * A reload changes only the keys: a key limited to a model this gateway does not run (one added to the file
 * since the start) would be refused everything, so the reload is refused instead, naming it.
 */
function keyModelsRunHere(next: ResolvedConfig, running: ResolvedConfig): void {
  const ids = new Set(running.models.map((m) => m.id));
  next.auth.apiKeys.forEach((k, i) =>
    k.models?.forEach((m, j) => {
      if (!ids.has(m)) {
        throw badInput(
          `config error${next.configPath ? ` in ${next.configPath}` : ''}: auth.apiKeys[${i}].models[${j}] = "${m}" names no model this gateway runs (models change only on restart); restart to apply, or add the key after the restart`,
        );
      }
    }),
  );
}
