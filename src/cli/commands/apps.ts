import type { Command } from 'commander';
import type { CommandSpec } from './types.js';
import type { GlobalOptions } from '../context.js';
import type { Actor, Role } from '../../core/types.js';

interface ActorOpts {
  tenant: string;
  user: string;
  role: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];
const ROLES: Role[] = ['staff', 'reviewer', 'admin', 'auditor'];

async function actorFrom(opts: ActorOpts): Promise<Actor> {
  const { badInput } = await import('../../core/errors.js');
  if (!ROLES.includes(opts.role as Role)) throw badInput(`--role must be one of ${ROLES.join(', ')}`);
  return { user: opts.user, role: opts.role as Role, tenant: opts.tenant };
}

function actorOptions(cmd: Command): Command {
  return cmd
    .option('--tenant <tenant>', 'tenant', 'default')
    .option('--user <name>', 'acting user (recorded in the audit trail)', process.env.USER ?? 'cli')
    .option('--role <role>', 'role of the acting user (the local CLI operator is an admin)', 'admin');
}

export const appsCommand: CommandSpec = {
  name: 'apps',
  register(program: Command) {
    const apps = program.command('apps').description('アプリ / use-case apps: list, run, add and publish');

    actorOptions(apps.command('list').description('アプリ一覧 / list the apps (built-in and the tenant’s)'))
      .option('--json', 'print [{"id","title","description","builtin"}]')
      .action(async (opts: ActorOpts & { json?: boolean }, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { catalogueService } = await import('../../apps/wiring.js');
        const io = await import('../io.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const list = await catalogueService(ctx.config, await ctx.store()).list(await actorFrom(opts));
          if (opts.json) return io.printJson(list.map((a) => ({ id: a.id, title: a.title, description: a.description, builtin: a.builtin, ...(a.version ? { version: a.version, published: a.published } : {}) })));
          for (const a of list) process.stdout.write(`${a.id.padEnd(16)} ${a.builtin ? '[組込]' : a.published ? `[公開 v${a.version}]` : `[下書き v${a.version}]`} ${a.title}\n`);
        });
      });

    actorOptions(apps.command('add').description('アプリ定義の登録 / add an app definition (JSON or YAML) as a new version'))
      .argument('<file>', 'definition file')
      .option('--publish', 'publish this version to the tenant catalogue (admins)')
      .option('--json', 'print the stored app as JSON')
      .action(async (file: string, opts: ActorOpts & { publish?: boolean; json?: boolean }, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { catalogueService } = await import('../../apps/wiring.js');
        const { readDefinitionFile } = await import('../../apps/files.js');
        const io = await import('../io.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const def = readDefinitionFile(file);
          const service = catalogueService(ctx.config, await ctx.store());
          const actor = await actorFrom(opts);
          let stored = await service.create(actor, def);
          if (opts.publish) stored = await service.publish(actor, stored.id, stored.latestVersion);
          if (opts.json) return io.printJson(stored);
          process.stdout.write(`登録しました / added ${stored.id} v${stored.latestVersion} (tenant ${stored.tenant})${stored.publishedVersion ? `, 公開 / published v${stored.publishedVersion}` : ''}\n`);
        });
      });

    actorOptions(apps.command('publish').description('テナントのカタログに公開 / publish an app version to the tenant catalogue (admins)'))
      .argument('<id>', 'app id')
      .option('--version <n>', 'version to publish (default: the latest)', (v) => Number(v))
      .action(async (id: string, opts: ActorOpts & { version?: number }, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { catalogueService } = await import('../../apps/wiring.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const stored = await catalogueService(ctx.config, await ctx.store()).publish(await actorFrom(opts), id, opts.version);
          process.stdout.write(`公開しました / published ${stored.id} v${stored.publishedVersion}\n`);
        });
      });

    actorOptions(apps.command('run').description('アプリの実行 / run an app by id, or a definition file directly'))
      .argument('<app>', 'app id, or a path to a definition file (.json/.yaml)')
      .option('--input <name=value>', 'an input (repeatable); name=@FILE reads the value from FILE', collect, [])
      .option('--model <id>', 'model id (default: the app’s model, else config.defaultModel)')
      .option('--json', 'print {"app","output","model",…} as JSON')
      .option('--out <file>', 'write the output to FILE (and the .docx when the app makes one), each with a signed provenance manifest')
      .action(async (app: string, opts: ActorOpts & { input: string[]; model?: string; json?: boolean; out?: string }, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { runAppFromCli } = await import('../../apps/cli-run.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          await runAppFromCli(ctx.config, await ctx.store(), await actorFrom(opts), app, opts);
        });
      });
  },
};
