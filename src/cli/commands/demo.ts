import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { CommandSpec } from './types.js';
import type { GlobalOptions } from '../context.js';

export const SAMPLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../samples/statutes');
export const SAMPLE_COLLECTION = 'sample';
export const SAMPLE_QUESTIONS = ['行政手続法第5条第3項には何が定められていますか', '開示請求があった日から何日以内に開示決定等をしなければなりませんか', '東京タワーの高さは何メートルですか'];

export const demoCommand: CommandSpec = {
  name: 'demo',
  register(program: Command) {
    program
      .command('demo')
      .description('デモ / ingest the bundled sample statutes and answer sample questions offline (extractive model)')
      .action(async (_opts: unknown, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { runIngest } = await import('../../retrieval/service.js');
        const { createRuntime } = await import('../../gateway/runtime.js');
        const { askCollection } = await import('../../gateway/ask.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const store = await ctx.store();
          const report = await runIngest(ctx.config, store, [SAMPLE_DIR], { collection: SAMPLE_COLLECTION });
          process.stdout.write(`サンプル資料 / sample collection "${SAMPLE_COLLECTION}": ${report.added} added, ${report.unchanged} unchanged, ${report.chunks} chunks (${store.describe})\n\n`);
          const rt = await createRuntime(ctx.config, store);
          try {
            for (const q of SAMPLE_QUESTIONS) {
              const a = await askCollection(rt.pipeline, rt.searcher, { question: q, collection: SAMPLE_COLLECTION, actor: { user: 'demo', role: 'staff', tenant: 'default' } });
              process.stdout.write(`Q: ${q}\nA: ${a.answer}\n`);
              a.citations.forEach((c, i) => process.stdout.write(`   [${i + 1}] ${c.source}  ${c.heading ?? ''}\n`));
              process.stdout.write('\n');
            }
          } finally {
            await rt.close();
          }
        });
      });
  },
};
