import type { Command } from 'commander';
import type { CommandSpec } from './types.js';
import type { GlobalOptions } from '../context.js';
import type { AskOutcome } from '../../gateway/ask.js';

const publicAnswer = (a: AskOutcome) => ({
  answer: a.answer,
  abstained: a.abstained,
  citations: a.citations.map((c) => ({ source: c.source, chunk: c.chunk, quote: c.quote })),
  model: a.model,
  ...(a.governed.review ? { review: a.governed.review } : {}),
  confidentiality: a.governed.confidentiality,
  audit_id: a.governed.auditId,
});

export const askCommand: CommandSpec = {
  name: 'ask',
  register(program: Command) {
    program
      .command('ask')
      .description('資料QA / answer a question from a collection, quoting and citing it — or saying the sources do not answer')
      .argument('[question]', 'the question (omit with --jsonl)')
      .requiredOption('--collection <name>', 'collection name')
      .option('--tenant <tenant>', 'tenant', 'default')
      .option('--model <id>', 'model id (default: config.defaultModel, the offline extractive answerer)')
      .option('--k <n>', 'passages to retrieve', (v) => Number(v), 5)
      .option('--user <name>', 'acting user recorded in the audit trail', process.env.USER ?? 'cli')
      .option('--json', 'print {"answer","abstained","citations":[{source,chunk,quote}],"model"}')
      .option('--jsonl', 'read {"id","question"} lines on stdin, write {"id","answer","abstained","citations"} lines')
      .option('--out <file>', 'write the answer to FILE and a signed provenance manifest to FILE.provenance.json')
      .action(async (question: string | undefined, opts: { collection: string; tenant: string; model?: string; k: number; user: string; json?: boolean; jsonl?: boolean; out?: string }, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { createRuntime } = await import('../../gateway/runtime.js');
        const { askCollection } = await import('../../gateway/ask.js');
        const io = await import('../io.js');
        const { badInput, toHiragaError } = await import('../../core/errors.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const rt = await createRuntime(ctx.config, await ctx.store());
          try {
            const actor = { user: opts.user, role: 'staff' as const, tenant: opts.tenant };
            const ask = (q: string) =>
              askCollection(rt.pipeline, rt.searcher, { question: q, collection: opts.collection, actor, k: opts.k, embedder: rt.embedder, ...(opts.model ? { model: opts.model } : {}) });
            if (opts.jsonl) {
              let failed = false;
              for await (const rec of io.readJsonl()) {
                if ('error' in rec) {
                  io.printLine({ id: null, error: rec.error });
                  continue;
                }
                const id = rec.value.id ?? null;
                try {
                  const a = await ask(io.field(rec.value, 'question', rec.line));
                  const { answer, abstained, citations, model } = publicAnswer(a);
                  io.printLine({ id, answer, abstained, citations, model });
                } catch (err) {
                  // A wrong collection or model fails the whole batch (exit 2); anything else is this line's
                  // error, and the batch goes on: one output line per input line, in order.
                  const e = toHiragaError(err);
                  if (e.code === 'not_found') throw e;
                  if (e.code !== 'bad_input' && e.code !== 'policy') failed = true;
                  io.printLine({ id, error: e.message.replace(/\s*\n\s*/g, ' '), code: e.reason ?? e.code });
                }
              }
              // A line the model or the store failed: exit 1 once every line has its answer or error.
              if (failed) process.exitCode = 1;
              return;
            }
            if (!question) throw badInput('give a question, or use --jsonl to read questions from stdin');
            const a = await ask(question);
            if (opts.out) await rt.writeOutput(opts.out, a.answer, { app: 'qa', model: a.governed.model, auditId: a.governed.auditId, input: question, citations: a.citations, review: a.governed.review });
            if (opts.json) io.printJson(publicAnswer(a));
            else {
              process.stdout.write(`${a.answer}\n`);
              if (!a.abstained && a.citations.length) {
                process.stdout.write('\n出典 / sources:\n');
                a.citations.forEach((c, i) => process.stdout.write(`[${i + 1}] ${c.source}#${c.chunk}  ${c.heading ?? ''}\n`));
              }
              process.stdout.write(`\n(model: ${a.model}; 機密性${a.governed.confidentiality}; audit #${a.governed.auditId})\n`);
            }
          } finally {
            await rt.close();
          }
        });
      });
  },
};
