import { resolveSecret, type ResolvedConfig } from '../../config/load.js';
import { badInput } from '../../core/errors.js';
import type { Logger } from '../log.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { KeyRing } from './keyring.js';
import type { LiveKeys } from './live-keys.js';
import { ensureLocalAdminKey, LOCAL_ADMIN_FILE, readLocalAdminKey } from './local-admin.js';

/** Keys that expire within this are named in a warning at start and after each reload. */
export const KEY_EXPIRY_WARNING_MS = 14 * 86_400_000;

/**
 * The keys a config puts in force: `auth.apiKeys`, or when it has none the local admin key of the data
 * directory. At start that key is created (and printed once) if there is none; a reload never creates it
 * (there is nobody to print it to) and refuses a config without keys instead.
 */
export function configuredKeys(config: ResolvedConfig, o: { createLocalAdmin: boolean }): { ring: KeyRing; createdAdminKey?: string; adminKeyFile?: string } {
  if (config.auth.apiKeys.length) return { ring: KeyRing.fromConfig(config.auth.apiKeys) };
  if (!o.createLocalAdmin) {
    const entry = readLocalAdminKey(config.dataDir);
    if (!entry) {
      throw badInput(
        `config error${config.configPath ? ` in ${config.configPath}` : ''}: auth.apiKeys is empty and this data directory has no local admin key (${LOCAL_ADMIN_FILE}); a reload does not create one: keep at least one key, or restart`,
      );
    }
    return { ring: new KeyRing([entry]) };
  }
  const local = ensureLocalAdminKey(config.dataDir);
  return { ring: new KeyRing([local.entry]), adminKeyFile: local.file, ...(local.createdKey ? { createdAdminKey: local.createdKey } : {}) };
}

/** The plaintext keys a config holds (`key`, or `env:NAME` resolved): to be redacted from logs and errors. */
export const plaintextKeys = (config: ResolvedConfig): string[] => config.auth.apiKeys.flatMap((k) => (k.key ? [resolveSecret(k.key)!] : []));

/** What is derived from the keys in force: the key-count and expiry gauges on /metrics, and the expiry warnings in the log. */
export function publishKeys(keys: Pick<LiveKeys, 'list' | 'expiring' | 'size'>, metrics: GatewayMetrics, logger: Logger): void {
  metrics.apiKeys.set(keys.size);
  // Cleared first: a key removed by a reload must not linger as a series.
  metrics.keyExpiry.clear();
  for (const k of keys.list()) if (k.expiresAt) metrics.keyExpiry.set(Date.parse(k.expiresAt) / 1000, { key: k.keyHint, tenant: k.tenant });
  for (const k of keys.expiring(KEY_EXPIRY_WARNING_MS)) {
    logger.warn({ key: k.keyHint, user: k.user, tenant: k.tenant, expiresAt: k.expiresAt }, k.expired ? 'API key has expired (refused with 401 api_key_expired)' : 'API key expires within 14 days');
  }
}
