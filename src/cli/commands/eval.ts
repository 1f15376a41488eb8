import type { Command } from 'commander';
import type { CommandSpec } from './types.js';
import type { GlobalOptions } from '../context.js';

/** A comma-separated list, each entry once (a model named twice is one column of the comparison). */
const list = (v: string) => [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))];

export const evalCommand: CommandSpec = {
  name: 'eval',
  register(program: Command) {
    const ev = program.command('eval').description('評価 / evaluation lab: compare models on a suite, sealed suites, queue workers');

    ev.command('run')
      .description('run every item of SUITE on every model through the governed pipeline; writes DIR/results.json, report.html, report.pdf')
      .argument('<suite>', 'suite JSONL file (or a sealed suite with --key)')
      .requiredOption('--models <ids>', 'comma-separated model ids', list)
      .requiredOption('--out <dir>', 'output folder')
      .option('--concurrency <n>', 'items in flight (default: eval.concurrency)', (v) => Number(v))
      .option('--key <key>', 'key of a sealed suite (else $HIRAGA_EVAL_KEY)')
      .option('--fresh', 'ignore cached results and run everything again')
      .option('--no-pdf', 'do not print report.pdf')
      .option('--queue <name>', 'BullMQ queue name when $HIRAGA_REDIS_URL is set', 'hiraga-eval')
      .option('--no-local-worker', 'queue mode: only enqueue and wait; `hiraga eval worker` processes do the work')
      .action(async (suite: string, opts: { models: string[]; out: string; concurrency?: number; key?: string; fresh?: boolean; pdf: boolean; queue: string; localWorker: boolean }, cmd: Command) => {
        const { runEvalCli } = await import('../../eval/commands/cli.js');
        await runEvalCli(cmd.optsWithGlobals() as GlobalOptions, suite, opts);
      });

    ev.command('seal')
      .description('encrypt a suite (AES-256-GCM) so it is fixed in advance and disclosed on the day; prints the sealed file SHA-256')
      .argument('<suite>', 'plain suite JSONL')
      .option('--out <file>', 'sealed file (default: SUITE.sealed)')
      .option('--key <key>', 'a 64-hex-digit key or a passphrase (else $HIRAGA_EVAL_KEY, else a new random key is printed)')
      .action(async (suite: string, opts: { out?: string; key?: string }) => {
        const { sealCli } = await import('../../eval/commands/cli.js');
        sealCli(suite, opts);
      });

    ev.command('worker')
      .description('process evaluation jobs from the queue ($HIRAGA_REDIS_URL) into the shared store, until stopped')
      .option('--concurrency <n>', 'jobs in flight (default: eval.concurrency)', (v) => Number(v))
      .option('--queue <name>', 'BullMQ queue name', 'hiraga-eval')
      .option('--idle-exit <seconds>', 'exit after this many seconds without a job', (v) => Number(v))
      .option('--lock-duration <ms>', "job lock time: a killed worker's jobs are taken over once it expires (default 30000)", (v) => Number(v))
      .option('--stalled-interval <ms>', 'how often to look for jobs of dead workers and put them back (default 30000)', (v) => Number(v))
      .action(async (opts: { concurrency?: number; queue: string; idleExit?: number; lockDuration?: number; stalledInterval?: number }, cmd: Command) => {
        const { workerCli } = await import('../../eval/commands/cli.js');
        await workerCli(cmd.optsWithGlobals() as GlobalOptions, opts);
      });
  },
};
