import type { Command } from 'commander';
import type { CommandSpec } from './types.js';
import type { GlobalOptions } from '../context.js';
import type { SearchHit } from '../../core/types.js';

const publicHit = (h: SearchHit) => ({ source: h.source, chunk: h.chunk, score: h.score, text: h.text, heading: h.heading });

export const searchCommand: CommandSpec = {
  name: 'search',
  register(program: Command) {
    program
      .command('search')
      .description('検索 / search a collection (BM25 over morphemes and character bigrams, statute-aware)')
      .argument('[query]', 'the query (omit with --jsonl)')
      .requiredOption('--collection <name>', 'collection name')
      .option('--tenant <tenant>', 'tenant', 'default')
      .option('--k <n>', 'number of hits', (v) => Number(v), 10)
      .option('--json', 'print {"hits":[{source,chunk,score,text,heading}]}')
      .option('--jsonl', 'read {"id","query"} lines on stdin, write {"id","hits"} lines')
      .action(async (query: string | undefined, opts: { collection: string; tenant: string; k: number; json?: boolean; jsonl?: boolean }, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { createSearcher } = await import('../../retrieval/service.js');
        const io = await import('../io.js');
        const { badInput, toHiragaError } = await import('../../core/errors.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const { searcher, embedder } = await createSearcher(ctx.config, await ctx.store());
          const base = { collection: opts.collection, tenant: opts.tenant, k: opts.k, embedder };
          if (opts.jsonl) {
            let failed = false;
            for await (const rec of io.readJsonl()) {
              if ('error' in rec) {
                io.printLine({ id: null, error: rec.error, hits: [] });
                continue;
              }
              const id = rec.value.id ?? null;
              try {
                const hits = await searcher.search(io.field(rec.value, 'query', rec.line), base);
                io.printLine({ id, hits: hits.map(publicHit) });
              } catch (err) {
                // A wrong collection fails the whole batch (exit 2); anything else is this line's error, and the batch goes on.
                const e = toHiragaError(err);
                if (e.code === 'not_found') throw e;
                if (e.code !== 'bad_input') failed = true;
                io.printLine({ id, error: e.message.replace(/\s*\n\s*/g, ' '), code: e.reason ?? e.code, hits: [] });
              }
            }
            if (failed) process.exitCode = 1;
            return;
          }
          if (!query) throw badInput('give a query, or use --jsonl to read queries from stdin');
          const hits = await searcher.search(query, base);
          if (opts.json) io.printJson({ hits: hits.map(publicHit) });
          else if (!hits.length) process.stdout.write('該当なし / no hits\n');
          else
            hits.forEach((h, i) =>
              process.stdout.write(`[${i + 1}] ${h.score.toFixed(3)}  ${h.source}#${h.chunk}  ${h.heading}\n    ${h.text.replace(/\s+/g, ' ').slice(0, 160)}\n`),
            );
        });
      });
  },
};
