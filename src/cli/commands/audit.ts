import { InvalidArgumentError, type Command } from 'commander';
import type { CommandSpec } from './types.js';
import type { GlobalOptions } from '../context.js';

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got "${v}"`);
  return n;
};

export const auditCommand: CommandSpec = {
  name: 'audit',
  register(program: Command) {
    const audit = program.command('audit').description('監査ログ / the tamper-evident audit trail (hash chain, signed Merkle checkpoints)');

    audit
      .command('verify')
      .description('改ざん検査 / verify the stored chain, or an export offline (--file EXPORT --public-key KEYFILE)')
      .option('--file <export>', 'an export written by `hiraga audit export` (offline check)')
      .option('--public-key <keyfile>', 'the PEM public key printed by `hiraga audit public-key`')
      .option('--checkpoint <file>', 'a checkpoint saved earlier (`hiraga audit checkpoint > FILE`, or an export): the log must still hold the events it signed, unchanged (catches a log cut back)')
      .option('--json', 'print the report as JSON')
      .action(async (opts: { file?: string; publicKey?: string; checkpoint?: string; json?: boolean }, cmd: Command) => {
        const { badInput } = await import('../../core/errors.js');
        if (opts.file || opts.publicKey) {
          if (opts.checkpoint) throw badInput('--checkpoint compares the stored log with a saved checkpoint; an export is checked on its own (leave out --checkpoint with --file)');
          if (!opts.file || !opts.publicKey) throw badInput('offline verification needs both --file EXPORT and --public-key KEYFILE');
          const { verifyExportFile } = await import('../../audit/verify-file.js');
          const { readVerifyKey } = await import('../../audit/keys.js');
          const report = await verifyExportFile(opts.file, readVerifyKey(opts.publicKey));
          if (opts.json) process.stdout.write(JSON.stringify(report) + '\n');
          if (report.ok) {
            if (!opts.json) process.stdout.write(`検証成功 / export intact: ${report.events} events, ${report.checkpoints} signed checkpoints\n`);
            return;
          }
          const b = report.firstBad!;
          process.stderr.write(`hiraga: 改ざんを検出 / export tampered: line ${b.line}${b.id !== undefined ? ` (event ${b.id})` : ''}: ${b.problem}\n`);
          process.exitCode = 1;
          return;
        }
        const { withContext } = await import('../context.js');
        const { createAuditLog } = await import('../../audit/log.js');
        const { readCheckpointFile } = await import('../../audit/checkpoint-file.js');
        const { anchoring, anchoringText } = await import('../../audit/anchoring.js');
        const saved = opts.checkpoint ? { checkpoint: readCheckpointFile(opts.checkpoint), label: opts.checkpoint } : undefined;
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const log = createAuditLog(await ctx.store(), ctx.config);
          if (saved) {
            const { checkpointSignatureOk } = await import('../../audit/checkpoint.js');
            const { verifyKeyFromPem } = await import('../../audit/keys.js');
            const key = verifyKeyFromPem(log.publicKeyPem());
            if (!checkpointSignatureOk(key, saved.checkpoint)) {
              // Not a statement of this installation: either the file is from elsewhere or the key was replaced.
              process.stderr.write(`hiraga: 改ざんを検出 / audit log tampered: the checkpoint in ${saved.label} (key ${saved.checkpoint.key_id}) is not validly signed by this installation's key ${key.keyId}: the file comes from another installation, or the signing key was replaced\n`);
              process.exitCode = 1;
              return;
            }
          }
          const report = await log.verify(saved);
          const anchor = report.ok ? anchoring(await log.checkpoints(), report.events) : null;
          const savedNote = saved ? { savedCheckpoint: { treeSize: saved.checkpoint.tree_size, time: saved.checkpoint.time, ok: report.ok } } : {};
          if (opts.json) process.stdout.write(JSON.stringify({ ...report, ...(anchor ?? {}), ...savedNote }) + '\n');
          if (report.ok) {
            if (!opts.json) {
              const against = saved ? `; holds the ${saved.checkpoint.tree_size} events of the checkpoint in ${saved.label} (signed ${saved.checkpoint.time})` : '';
              process.stdout.write(`検証成功 / audit log intact: ${report.events} events, ${report.checkpoints} signed checkpoints; ${anchoringText(anchor!)}${against}\n`);
            }
            return;
          }
          process.stderr.write(`hiraga: 改ざんを検出 / audit log tampered: event ${report.firstBad!.id}: ${report.firstBad!.problem}\n`);
          process.exitCode = 1;
        });
      });

    audit
      .command('export')
      .description('書き出し / one JSON event per line (id, prev_hash, hash, …) with the signed manifest and checkpoints')
      .option('--from <time>', 'ISO date/time, inclusive')
      .option('--to <time>', 'ISO date/time, exclusive')
      .option('--tenant <tenant>', 'only this tenant')
      .option('--action <action>', 'only this action')
      .action(async (opts: { from?: string; to?: string; tenant?: string; action?: string }, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { createAuditLog } = await import('../../audit/log.js');
        const { parseTime } = await import('../../audit/time-filter.js');
        const { writeLines } = await import('../../audit/verify-file.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const filter = {
            ...(opts.from ? { from: parseTime(opts.from, '--from') } : {}),
            ...(opts.to ? { to: parseTime(opts.to, '--to') } : {}),
            ...(opts.tenant ? { tenant: opts.tenant } : {}),
            ...(opts.action ? { action: opts.action } : {}),
          };
          await writeLines(process.stdout, createAuditLog(await ctx.store(), ctx.config).export(filter));
        });
      });

    audit
      .command('public-key')
      .description('検証用公開鍵 / print the Ed25519 verification key (PEM)')
      .action(async (_opts: unknown, cmd: Command) => {
        const { loadConfig } = await import('../../config/load.js');
        const { loadSigningKey } = await import('../../audit/keys.js');
        const g = cmd.optsWithGlobals() as GlobalOptions;
        const config = loadConfig({ ...(g.config ? { configPath: g.config } : {}), ...(g.dataDir ? { dataDir: g.dataDir } : {}) });
        process.stdout.write(loadSigningKey(config).publicKeyPem);
      });

    audit
      .command('prove')
      .description('包含証明 / print the RFC 9162 inclusion proof of an event against a signed checkpoint')
      .argument('<event-id>', 'the event id', positiveInt('EVENT_ID'))
      .action(async (eventId: number, _opts: unknown, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { createAuditLog } = await import('../../audit/log.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          process.stdout.write(JSON.stringify(await createAuditLog(await ctx.store(), ctx.config).prove(eventId), null, 2) + '\n');
        });
      });

    audit
      .command('consistency')
      .description('一貫性証明 / prove a signed checkpoint is a prefix of a later one (default: a fresh checkpoint)')
      .argument('<first-size>', 'tree size of the earlier checkpoint', positiveInt('FIRST_SIZE'))
      .argument('[second-size]', 'tree size of the later checkpoint', positiveInt('SECOND_SIZE'))
      .action(async (first: number, second: number | undefined, _opts: unknown, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { createAuditLog } = await import('../../audit/log.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          process.stdout.write(JSON.stringify(await createAuditLog(await ctx.store(), ctx.config).proveConsistency(first, second), null, 2) + '\n');
        });
      });

    audit
      .command('checkpoint')
      .description('チェックポイント署名 / sign a checkpoint of the current head now')
      .action(async (_opts: unknown, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { createAuditLog } = await import('../../audit/log.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          process.stdout.write(JSON.stringify(await createAuditLog(await ctx.store(), ctx.config).checkpoint()) + '\n');
        });
      });

    audit
      .command('expire')
      .description('保存期間切れの内容を削除 / delete kept content whose retention ended (the chain stays)')
      .action(async (_opts: unknown, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { createAuditLog } = await import('../../audit/log.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const n = await createAuditLog(await ctx.store(), ctx.config).expireContent();
          process.stdout.write(`削除 / deleted content of ${n} events\n`);
        });
      });
  },
};
