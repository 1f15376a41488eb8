import { loadConfig, type ResolvedConfig } from '../config/load.js';
import { openStore, type Store } from '../store/open.js';

/** Options every command accepts. */
export interface GlobalOptions {
  config?: string;
  dataDir?: string;
  debug?: boolean;
}

export interface CliContext {
  config: ResolvedConfig;
  store(): Promise<Store>;
  close(): Promise<void>;
}

/** Resolve the config once; open the store lazily (commands like `guard scan` never need it). */
export function createContext(opts: GlobalOptions): CliContext {
  const config = loadConfig({ ...(opts.config ? { configPath: opts.config } : {}), ...(opts.dataDir ? { dataDir: opts.dataDir } : {}) });
  let store: Promise<Store> | null = null;
  return {
    config,
    store() {
      store ??= openStore(config.store);
      return store;
    },
    async close() {
      if (store) await (await store).close();
    },
  };
}

/** Run a command body with a context, always closing the store. */
export async function withContext<T>(opts: GlobalOptions, body: (ctx: CliContext) => Promise<T>): Promise<T> {
  const ctx = createContext(opts);
  try {
    return await body(ctx);
  } finally {
    await ctx.close();
  }
}
