import type { Command } from 'commander';
import type { CommandSpec } from './types.js';
import type { GlobalOptions } from '../context.js';

export const chatCommand: CommandSpec = {
  name: 'chat',
  register(program: Command) {
    program
      .command('chat')
      .description('モデルと1回対話 / one chat turn with a model (streams to the terminal)')
      .argument('<message>', 'the message')
      .option('--model <id>', 'model id (default: config.defaultModel)')
      .option('--json', 'print {"model","content","usage"}')
      .option('--out <file>', 'also write the reply to FILE and a signed provenance manifest to FILE.provenance.json')
      .option('--user <name>', 'acting user recorded in the audit trail', process.env.USER ?? 'cli')
      .option('--tenant <tenant>', 'tenant recorded in the audit trail', 'default')
      .action(async (message: string, opts: { model?: string; json?: boolean; out?: string; user: string; tenant: string }, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { createRuntime } = await import('../../gateway/runtime.js');
        const { governedRunner } = await import('../../gateway/chat-runner.js');
        const { chatTurn } = await import('../../models/chat-turn.js');
        const { badInput } = await import('../../core/errors.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          if (!message.trim()) throw badInput('the message is empty; give the text to send, e.g. hiraga chat "こんにちは"');
          const rt = await createRuntime(ctx.config, await ctx.store());
          const model = opts.model ?? ctx.config.defaultModel;
          rt.models.get(model);
          let governed: import('../../gateway/types.js').GovernedResult | undefined;
          const ctl = new AbortController();
          const onInt = () => ctl.abort(new Error('interrupted'));
          process.once('SIGINT', onInt);
          try {
            const actor = { user: opts.user, role: 'staff' as const, tenant: opts.tenant };
            const done = await chatTurn({ model, messages: [{ role: 'user', content: message }], signal: ctl.signal }, governedRunner(rt.pipeline, actor, (r) => (governed = r)), {
              json: Boolean(opts.json),
              write: (t) => process.stdout.write(t),
            });
            if (opts.out && governed) {
              await rt.writeOutput(opts.out, done.content.endsWith('\n') ? done.content : `${done.content}\n`, { app: 'chat', model: governed.model, auditId: governed.auditId, input: message, review: governed.review });
            }
          } finally {
            process.off('SIGINT', onInt);
            await rt.close();
          }
        });
      });
  },
};
