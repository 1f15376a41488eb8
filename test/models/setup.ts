import { modelSchema, type ModelConfig } from '../../src/config/sections/models.js';
import { createRegistry, type RegistryOptions } from '../../src/models/registry.js';

/** Parse model entries exactly as the config loader does (defaults applied). */
export const models = (entries: unknown[]): ModelConfig[] => entries.map((e) => modelSchema.parse(e));

/** A registry with fast backoff (tests do not wait seconds between retries unless Retry-After says so). */
export function registryOf(entries: unknown[], options: RegistryOptions = {}) {
  const cfgs = models(entries);
  return createRegistry({ models: cfgs, defaultModel: cfgs[0]!.id }, { backoff: { baseMs: 5, maxMs: 20 }, env: {}, ...options });
}

/** A port where nothing listens (taken from the OS, then released). */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as import('node:net').AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
