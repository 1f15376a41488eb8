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
      .option('--out <file>', 'also write the reply to FILE')
      .action(async (message: string, opts: { model?: string; json?: boolean; out?: string }, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { createRegistry } = await import('../../models/registry.js');
        const { chatTurn, directRunner } = await import('../../models/chat-turn.js');
        const { badInput } = await import('../../core/errors.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          if (!message.trim()) throw badInput('the message is empty; give the text to send, e.g. hiraga chat "こんにちは"');
          const registry = createRegistry(ctx.config);
          const model = opts.model ?? ctx.config.defaultModel;
          registry.get(model);
          const ctl = new AbortController();
          const onInt = () => ctl.abort(new Error('interrupted'));
          process.once('SIGINT', onInt);
          try {
            await chatTurn({ model, messages: [{ role: 'user', content: message }], signal: ctl.signal }, directRunner(registry), {
              json: Boolean(opts.json),
              ...(opts.out ? { outFile: opts.out } : {}),
              write: (t) => process.stdout.write(t),
            });
          } finally {
            process.off('SIGINT', onInt);
            await registry.close();
          }
        });
      });
  },
};
