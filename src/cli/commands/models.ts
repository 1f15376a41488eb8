import type { Command } from 'commander';
import type { CommandSpec } from './types.js';
import type { GlobalOptions } from '../context.js';

export const modelsCommand: CommandSpec = {
  name: 'models',
  register(program: Command) {
    const models = program.command('models').description('モデル一覧と接続確認 / list models and check that they work');
    models
      .command('list')
      .description('設定済みモデルと信頼属性 / configured models with their trust attributes')
      .option('--json', 'print an array of {id,provider,origin,hosting,clearance,watts,priceInputPer1k,priceOutputPer1k,contextWindow,fallback,tenants?}')
      .action(async (opts: { json?: boolean }, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { createRegistry } = await import('../../models/registry.js');
        const io = await import('../io.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const infos = createRegistry(ctx.config).list();
          if (opts.json) {
            io.printJson(
              infos.map((m) => ({
                id: m.id,
                provider: m.provider,
                origin: m.origin,
                hosting: m.hosting,
                clearance: m.clearance,
                watts: m.watts ?? null,
                priceInputPer1k: m.priceInputPer1k,
                priceOutputPer1k: m.priceOutputPer1k,
                contextWindow: m.contextWindow ?? null,
                fallback: m.fallback,
                default: m.id === ctx.config.defaultModel,
                ...(m.label ? { label: m.label } : {}),
                ...(m.tenants ? { tenants: m.tenants } : {}),
              })),
            );
            return;
          }
          const rows = infos.map((m) => [
            `${m.id}${m.id === ctx.config.defaultModel ? ' *' : ''}`,
            m.provider,
            m.origin === 'domestic' ? '国産 domestic' : '海外 foreign',
            m.hosting,
            `機密性${m.clearance}まで`,
            m.watts !== undefined ? `${m.watts} W` : '-',
            `¥${m.priceInputPer1k}/¥${m.priceOutputPer1k} per 1k`,
            m.fallback.length ? `→ ${m.fallback.join(', ')}` : '',
            m.tenants ? `組織 tenants: ${m.tenants.join(', ')}` : '',
          ]);
          // Full-width characters take two terminal columns.
          const cols = (s: string) => Array.from(s).reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
          const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => cols(r[i]!))));
          for (const r of rows) process.stdout.write(r.map((c, i) => c + ' '.repeat(widths[i]! - cols(c))).join('  ').trimEnd() + '\n');
          process.stdout.write('(* = defaultModel)\n');
        });
      });
    models
      .command('test')
      .description('短いプロンプトで接続確認 / send a short prompt: latency, tokens/s, whether streaming works')
      .argument('<id>', 'model id')
      .option('--json', 'print the report as JSON')
      .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { createRegistry } = await import('../../models/registry.js');
        const { probeModel } = await import('../../models/probe.js');
        const { upstreamError } = await import('../../core/errors.js');
        const io = await import('../io.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const registry = createRegistry(ctx.config);
          try {
            const r = await probeModel(registry, id);
            if (opts.json) io.printJson(r);
            else {
              const line = (label: string, value: string) => process.stdout.write(`${label} ${value}\n`);
              line('モデル / model', id);
              if (r.latencyMs !== undefined) line('応答時間 / latency', `${r.latencyMs} ms`);
              if (r.firstTokenMs !== undefined) line('最初の出力 / first token', `${r.firstTokenMs} ms`);
              if (r.tokensPerS !== undefined) line('速度 / tokens/s', `${r.tokensPerS}${r.usageEstimated ? ' (estimated tokens)' : ''}`);
              line('ストリーミング / streaming', r.streaming ? 'OK' : 'NG');
              if (r.reply !== undefined) line('応答 / reply', r.reply.replace(/\s+/g, ' ').slice(0, 80));
            }
            if (!r.ok) throw upstreamError(r.error ?? `model "${id}" did not answer`);
            if (!opts.json && r.error) process.stderr.write(`hiraga: warning: ${r.error}\n`);
          } finally {
            await registry.close();
          }
        });
      });
  },
};
