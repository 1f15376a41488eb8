import type { Command } from 'commander';
import type { CommandSpec } from './types.js';
import type { GlobalOptions } from '../context.js';

export const ingestCommand: CommandSpec = {
  name: 'ingest',
  register(program: Command) {
    program
      .command('ingest')
      .description('文書を取り込む / add files or folders (.txt .md .html .pdf .docx) to a collection; unchanged files are skipped, changed ones replaced')
      .argument('<paths...>', 'files or folders; a document\'s source is its path relative to the folder given')
      .requiredOption('--collection <name>', 'collection name')
      .option('--tenant <tenant>', 'tenant that owns the collection', 'default')
      .option('--prune', 'the folders given are the whole collection: remove documents whose file is no longer in them')
      .option('--json', 'print the report as JSON')
      .action(async (paths: string[], opts: { collection: string; tenant: string; prune?: boolean; json?: boolean }, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { runIngest } = await import('../../retrieval/service.js');
        const { progressBar, printJson } = await import('../io.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const bar = progressBar('ingest');
          const report = await runIngest(ctx.config, await ctx.store(), paths, {
            collection: opts.collection,
            tenant: opts.tenant,
            ...(opts.prune ? { prune: true } : {}),
            onProgress: (p) => bar.update(p.done, p.total, p.file),
          });
          bar.done();
          if (opts.json) printJson(report);
          else {
            for (const f of report.failed) process.stderr.write(`skipped ${f.source}: ${f.error}\n`);
            const rate = report.ms ? Math.round(report.chars / (report.ms / 1000)) : 0;
            process.stdout.write(
              `${report.collection}: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.failed.length} failed${opts.prune ? `, ${report.removed} removed` : ''}; ${report.chunks} chunks, ${report.chars} chars in ${(report.ms / 1000).toFixed(1)} s (${rate} chars/s)\n`,
            );
          }
          if (report.failed.length && report.added + report.updated + report.unchanged === 0) process.exitCode = 2;
        });
      });
  },
};
