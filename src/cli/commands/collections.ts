import type { Command } from 'commander';
import type { CommandSpec } from './types.js';
import type { GlobalOptions } from '../context.js';

export const collectionsCommand: CommandSpec = {
  name: 'collections',
  register(program: Command) {
    const c = program.command('collections').description('コレクション / list document collections');
    c.command('list')
      .description('list collections with document and chunk counts')
      .option('--tenant <tenant>', 'only this tenant')
      .option('--json', 'print JSON')
      .action(async (opts: { tenant?: string; json?: boolean }, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { listCollections } = await import('../../retrieval/collections.js');
        const io = await import('../io.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const rows = await listCollections(await ctx.store(), opts.tenant);
          const out = rows.map((r) => ({ tenant: r.tenant, name: r.name, documents: r.documents ?? 0, chunks: r.chunkCount }));
          if (opts.json) io.printJson(out);
          else if (!out.length) process.stdout.write('コレクションはまだありません / no collections yet (hiraga ingest FILES --collection NAME)\n');
          else out.forEach((r) => process.stdout.write(`${r.tenant}/${r.name}: ${r.documents} documents, ${r.chunks} chunks\n`));
        });
      });
  },
};
