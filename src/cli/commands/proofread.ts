import type { Command } from 'commander';
import type { CommandSpec } from './types.js';

export const proofreadCommand: CommandSpec = {
  name: 'proofread',
  register(program: Command) {
    program
      .command('proofread')
      .description('公用文校正 / proofread stdin against the official writing rules (rule-based, no model)')
      .option('--json', 'print {"issues":[{rule,start,end,message,suggestion}],"corrected"}')
      .option('--jsonl', 'read {"id","text"} lines on stdin, write {"id","issues","corrected"} lines')
      .option('--rules <ids>', 'only these rule families, comma-separated')
      .action(async (opts: { json?: boolean; jsonl?: boolean; rules?: string }) => {
        const { proofread, publicIssue } = await import('../../apps/proofread/proofreader.js');
        const { RULE_IDS } = await import('../../apps/proofread/rules/index.js');
        const io = await import('../io.js');
        const { badInput, toHiragaError } = await import('../../core/errors.js');
        let rules: typeof RULE_IDS | undefined;
        if (opts.rules) {
          rules = opts.rules.split(',').map((r) => r.trim()) as typeof RULE_IDS;
          const bad = rules.filter((r) => !RULE_IDS.includes(r));
          if (bad.length) throw badInput(`--rules: unknown rule family ${bad.join(', ')}; families: ${RULE_IDS.join(', ')}`);
        }
        const options = rules ? { rules } : {};
        if (opts.jsonl) {
          for await (const rec of io.readJsonl()) {
            if ('error' in rec) {
              io.printLine({ id: null, error: rec.error, issues: [] });
              continue;
            }
            const id = rec.value.id ?? null;
            try {
              const text = rec.value.text;
              if (typeof text !== 'string') throw badInput(`line ${rec.line}: "text" must be a string`);
              const r = await proofread(text, options);
              io.printLine({ id, issues: r.issues.map(publicIssue), corrected: r.corrected });
            } catch (err) {
              const e = toHiragaError(err);
              if (e.code !== 'bad_input') throw e;
              io.printLine({ id, error: e.message, issues: [] });
            }
          }
          return;
        }
        const text = await io.readStdin();
        if (!text.trim()) throw badInput('校正する本文を標準入力から渡してください（例: echo "…" | hiraga proofread） / give the text to proofread on stdin (e.g. echo "…" | hiraga proofread)');
        const r = await proofread(text, options);
        if (opts.json) return io.printJson({ issues: r.issues.map(publicIssue), corrected: r.corrected });
        if (!r.issues.length) process.stdout.write('指摘はありません / no findings\n');
        for (const i of r.issues) {
          const line = text.slice(0, i.start).split('\n').length;
          process.stdout.write(`${line}:${i.start}-${i.end} [${i.rule}] 「${text.slice(i.start, i.end)}」→「${i.suggestion}」 ${i.message}\n`);
        }
        if (r.issues.length) process.stdout.write(`\n修正後 / corrected:\n${r.corrected}${r.corrected.endsWith('\n') ? '' : '\n'}`);
      });
  },
};
