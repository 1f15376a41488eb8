import type { Command } from 'commander';
import type { CommandSpec } from './types.js';
import type { GlobalOptions } from '../context.js';

export const serveCommand: CommandSpec = {
  name: 'serve',
  register(program: Command) {
    program
      .command('serve')
      .description('ゲートウェイを起動 / run the HTTP gateway (OpenAI-compatible /v1, hiraga /api, web UI)')
      .option('--port <port>', 'port (default: server.port, 8080)', (v) => Number(v))
      .option('--host <host>', 'address to listen on (default: server.host, 127.0.0.1)')
      .option('--sample', 'ingest the bundled sample statutes into the collection "sample" (tenant default) first')
      .action(async (opts: { port?: number; host?: string; sample?: boolean }, cmd: Command) => {
        const { loadConfig } = await import('../../config/load.js');
        const { badInput } = await import('../../core/errors.js');
        const { startGateway } = await import('../../gateway/server.js');
        const g = cmd.optsWithGlobals() as GlobalOptions;
        if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) throw badInput(`--port must be a whole number from 0 to 65535 (got ${opts.port})`);
        const load = () => loadConfig({ ...(g.config ? { configPath: g.config } : {}), ...(g.dataDir ? { dataDir: g.dataDir } : {}) });
        // SIGHUP (systemctl reload, kill -HUP) reloads the API keys; a failure is logged and audited, and the keys in
        // force stay. One that arrives while the gateway starts runs once it has started (the file may have changed
        // after it was read), instead of ending the process as Node would.
        let gw: Awaited<ReturnType<typeof startGateway>> | undefined;
        let hupWhileStarting = false;
        const onHup = () => (gw ? void gw.reloadKeys({ signal: 'SIGHUP' }).catch(() => {}) : (hupWhileStarting = true));
        process.on('SIGHUP', onHup);
        const config = load();
        // reloadConfig: SIGHUP and POST /api/admin/reload-keys re-read the same file the same way and apply its API keys.
        gw = await startGateway({ config, reloadConfig: load, ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.host ? { host: opts.host } : {}) });
        if (hupWhileStarting) onHup();
        if (opts.sample) {
          const { SAMPLE_DIR, SAMPLE_COLLECTION } = await import('./demo.js');
          const { runIngest } = await import('../../retrieval/service.js');
          const r = await runIngest(config, gw.services.store, [SAMPLE_DIR], { collection: SAMPLE_COLLECTION, tenant: 'default' });
          process.stdout.write(`サンプル資料 / sample collection "${SAMPLE_COLLECTION}": ${r.added} added, ${r.unchanged} unchanged, ${r.chunks} chunks\n`);
        }
        process.stdout.write(`hiraga gateway: ${gw.url}  (store: ${gw.services.store.describe}; rate limits: ${gw.limiter.kind})\n`);
        if (gw.createdAdminKey) {
          process.stdout.write(
            `\n管理者APIキーを作成しました（この一度だけ表示します） / created the local admin API key (shown only this once):\n\n  ${gw.createdAdminKey}\n\n` +
              `  curl -H "Authorization: Bearer ${gw.createdAdminKey}" ${gw.url}/v1/models\n\n` +
              `ハッシュのみ ${gw.adminKeyFile} に保存しました / only its SHA-256 hash is stored in ${gw.adminKeyFile}\n`,
          );
        } else if (gw.adminKeyFile) {
          process.stdout.write(`管理者APIキーは初回起動時に表示済みです / the local admin key was printed at first start (hash in ${gw.adminKeyFile})\n`);
        }
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            process.stderr.write(`hiraga gateway: ${signal}: finishing in-flight requests…\n`);
            void gw.close().then(resolve, resolve);
          };
          process.once('SIGTERM', () => stop('SIGTERM'));
          process.once('SIGINT', () => stop('SIGINT'));
        });
      });
  },
};
