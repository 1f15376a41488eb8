import type { Command } from 'commander';
import type { CommandSpec } from './types.js';
import type { GlobalOptions } from '../context.js';
import type { Confidentiality } from '../../core/types.js';
import type { Finding, ScanOptions, ScanResult } from '../../guard/types.js';

interface ScanFlags {
  json?: boolean;
  jsonl?: boolean;
  level?: string;
  origin?: string;
}

const publicFinding = (f: Finding) => ({ type: f.type, start: f.start, end: f.end, text: f.text, score: f.score });

function scanOptions(opts: ScanFlags, badInput: (m: string) => Error): ScanOptions {
  const out: ScanOptions = {};
  if (opts.level !== undefined) {
    const n = Number(opts.level);
    if (![1, 2, 3].includes(n)) throw badInput('--level は 1, 2, 3 のいずれか / --level must be 1, 2 or 3');
    out.declaredLevel = n as Confidentiality;
  }
  if (opts.origin !== undefined) {
    if (!['prompt', 'passage', 'output'].includes(opts.origin)) throw badInput('--origin must be prompt, passage or output');
    out.origin = opts.origin as ScanOptions['origin'];
  }
  return out;
}

function printTable(r: ScanResult): void {
  const w = process.stdout;
  w.write(`機密性: ${r.confidentiality}\n`);
  if (!r.findings.length) w.write('個人情報: 検出なし / no personal data found\n');
  else {
    w.write('種類 / type          位置 / span    スコア  テキスト / text\n');
    for (const f of r.findings) w.write(`${f.type.padEnd(20)} ${`${f.start}-${f.end}`.padEnd(14)} ${f.score.toFixed(2).padEnd(7)} ${f.text}\n`);
  }
  w.write(`フラグ / flags: ${r.flags.length ? r.flags.join(', ') : 'なし / none'}\n`);
  for (const d of r.details) w.write(`  - ${d.flag}: ${d.reason}\n`);
}

export const guardCommand: CommandSpec = {
  name: 'guard',
  register(program: Command) {
    const guard = program.command('guard').description('ガード / detect personal data, confidentiality, copyright risk and prompt injection');
    guard
      .command('scan')
      .description('検査 / scan stdin: a table, --json one object, --jsonl {"id","text"} lines')
      .option('--json', 'print {"findings","confidentiality","flags","details"}')
      .option('--jsonl', 'read {"id","text"} lines, write {"id","findings","confidentiality","flags"} lines')
      .option('--level <n>', 'declared confidentiality level (1–3); raises, never lowers')
      .option('--origin <origin>', 'prompt | passage | output', 'prompt')
      .action(async (opts: ScanFlags, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { createGuard } = await import('../../guard/guard.js');
        const io = await import('../io.js');
        const { badInput } = await import('../../core/errors.js');
        const options = scanOptions(opts, badInput);
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const g = await createGuard(ctx.config.guard);
          if (opts.jsonl) {
            for await (const rec of io.readJsonl()) {
              if ('error' in rec) {
                io.printLine({ id: null, line: rec.line, error: rec.error, findings: [], confidentiality: null, flags: [] });
                continue;
              }
              const id = rec.value.id ?? null;
              const text = rec.value.text;
              if (typeof text !== 'string') {
                io.printLine({ id, line: rec.line, error: `line ${rec.line}: "text" must be a string`, findings: [], confidentiality: null, flags: [] });
                continue;
              }
              const r = g.scan(text, options);
              io.printLine({ id, findings: r.findings.map(publicFinding), confidentiality: r.confidentiality, flags: r.flags });
            }
            return;
          }
          const r = g.scan(await io.readStdin(), options);
          if (opts.json) io.printJson({ findings: r.findings.map(publicFinding), confidentiality: r.confidentiality, flags: r.flags, details: r.details });
          else printTable(r);
        });
      });
    guard
      .command('mask')
      .description('マスキング / replace personal data on stdin with typed placeholders (〔氏名1〕)')
      .option('--json', 'print {"masked","mapping","findings","confidentiality","flags"}')
      .option('--level <n>', 'declared confidentiality level (1–3)')
      .action(async (opts: ScanFlags, cmd: Command) => {
        const { withContext } = await import('../context.js');
        const { createGuard } = await import('../../guard/guard.js');
        const { createMaskSession } = await import('../../guard/mask.js');
        const io = await import('../io.js');
        const { badInput } = await import('../../core/errors.js');
        const options = scanOptions(opts, badInput);
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const g = await createGuard(ctx.config.guard);
          const session = createMaskSession();
          const r = g.mask(await io.readStdin(), session, options);
          if (opts.json)
            io.printJson({
              masked: r.masked,
              mapping: Object.fromEntries(session.values),
              findings: r.scan.findings.map(publicFinding),
              confidentiality: r.scan.confidentiality,
              flags: r.scan.flags,
            });
          else process.stdout.write(r.masked.endsWith('\n') ? r.masked : r.masked + '\n');
        });
      });
  },
};
