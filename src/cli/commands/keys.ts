import type { Command } from 'commander';
import type { GlobalOptions } from '../context.js';
import type { CommandSpec } from './types.js';

/**
 * `hiraga keys`: make API keys for auth.apiKeys without putting them in the config file. `keys new` prints a
 * fresh key once and the config entry that holds only its SHA-256; `keys hash` gives the SHA-256 of an
 * existing key; `keys list` shows the configured keys (without key material) and their expiry.
 */
export const keysCommand: CommandSpec = {
  name: 'keys',
  register(program: Command) {
    const keys = program.command('keys').description('APIキー / make API keys and the config entries that hold only their hash');
    keys
      .command('new')
      .description('新しいAPIキー / a new random API key: printed once, with its auth.apiKeys entry (sha256, no key)')
      .requiredOption('--user <name>', 'who the key is for (recorded in the audit trail)')
      .option('--role <role>', 'staff | reviewer | admin | auditor', 'staff')
      .option('--tenant <tenant>', 'the organisation (tenant) the key belongs to', 'default')
      .option('--expires <date>', 'when it stops working: 2027-03-31 (end of that day, Japan time) or a date and time')
      .option('--json', 'print {"key","entry"}')
      .action(async (opts: { user: string; role: string; tenant: string; expires?: string; json?: boolean }) => {
        const { newKeyEntry } = await import('../../gateway/auth/key-tools.js');
        const { key, entry } = newKeyEntry(opts);
        if (opts.json) {
          process.stdout.write(JSON.stringify({ key, entry }) + '\n');
          return;
        }
        process.stdout.write(
          `新しいAPIキー（一度だけ表示します。${entry.user} に渡し、ほかには保存しないでください）/ new API key (shown once: give it to ${entry.user} and keep it nowhere else):\n  ${key}\n` +
            `設定ファイルの auth.apiKeys に追加 / add to auth.apiKeys in the config file (it holds only the hash):\n  ${JSON.stringify(entry)}\n`,
        );
      });
    keys
      .command('hash')
      .description('キーのハッシュ / the SHA-256 of an existing key, for an auth.apiKeys entry (reads the key from stdin when not given)')
      .argument('[key]', 'the key (better: pipe it in, to keep it out of the shell history)')
      .action(async (key: string | undefined) => {
        const { hashKey } = await import('../../gateway/auth/key-tools.js');
        const io = await import('../io.js');
        process.stdout.write(hashKey(key ?? (await io.readStdin()).trim()) + '\n');
      });
    keys
      .command('list')
      .description('設定済みのキー / the configured keys: user, role, tenant, key id and expiry (never the key)')
      .option('--json', 'print JSON')
      .action(async (opts: { json?: boolean }, cmd: Command) => {
        const { createContext } = await import('../context.js');
        const { KeyRing } = await import('../../gateway/auth/keyring.js');
        const io = await import('../io.js');
        const ctx = createContext(cmd.optsWithGlobals() as GlobalOptions);
        const rows = KeyRing.fromConfig(ctx.config.auth.apiKeys).list();
        if (opts.json) io.printJson(rows);
        else if (!rows.length) process.stdout.write('auth.apiKeys は空です（serve はローカル管理者キーを使います）/ no keys in auth.apiKeys (serve uses the local admin key)\n');
        else {
          for (const r of rows) {
            const expiry = r.expiresAt ? `${r.expired ? '期限切れ / expired' : '有効期限 / expires'} ${r.expiresAt}` : '期限なし / no expiry';
            process.stdout.write(`${r.keyHint}  ${r.tenant}/${r.user} (${r.role})  ${expiry}\n`);
          }
        }
      });
  },
};
