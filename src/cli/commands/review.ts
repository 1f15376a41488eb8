import { InvalidArgumentError, type Command } from 'commander';
import type { CommandSpec } from './types.js';
import type { GlobalOptions } from '../context.js';
import type { ReviewItem } from '../../review/types.js';

/** A review id as written (digits only: "0x2" or "1e3" is not an id), and a safe integer. */
const reviewId = (v: string) => {
  const n = /^[1-9][0-9]{0,15}$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`ID must be a positive whole number such as 12, got "${v}"`);
  return n;
};

interface DecideOptions {
  reason: string;
  as?: string;
  edit?: string;
  json?: boolean;
}

async function decide(kind: 'approve' | 'reject', id: number, opts: DecideOptions, cmd: Command): Promise<void> {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const { badInput } = await import('../../core/errors.js');
  const { withContext } = await import('../context.js');
  const { createAuditLog } = await import('../../audit/log.js');
  const { createReviewQueue } = await import('../../review/queue.js');
  await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
    const store = await ctx.store();
    const queue = createReviewQueue(store, createAuditLog(store, ctx.config), { allowSelfReview: ctx.config.review.allowSelfReview });
    const item = await queue.get(id);
    // The CLI operator has shell access to the store: acts as an admin of the item's tenant.
    const actor = { user: opts.as ?? (os.userInfo().username || 'cli'), role: 'admin' as const, tenant: item.tenant };
    let editedText: string | undefined;
    if (opts.edit) {
      if (!fs.existsSync(opts.edit)) throw badInput(`--edit file not found: ${opts.edit}`);
      editedText = fs.readFileSync(opts.edit, 'utf8');
    }
    const decision = { actor, reason: opts.reason, ...(editedText !== undefined ? { editedText } : {}) };
    const done = kind === 'approve' ? await queue.approve(id, decision) : await queue.reject(id, decision);
    if (opts.json) process.stdout.write(JSON.stringify(done) + '\n');
    else process.stdout.write(`#${done.id} ${done.statusLabel} / ${done.status} (by ${done.decided_by}; audit event ${done.decision_audit_id})\n`);
  });
}

function printItem(i: ReviewItem): void {
  const text = (i.output ?? '').replace(/\s+/g, ' ').slice(0, 80);
  process.stdout.write(`#${i.id} [${i.statusLabel}] ${i.tenant}/${i.requester} ${i.app ?? '-'} ${i.model ?? '-'} 理由: ${i.reason}\n    ${text}\n`);
}

export const reviewCommand: CommandSpec = {
  name: 'review',
  register(program: Command) {
    const review = program.command('review').description('人による確認 / the review queue: outputs held until a reviewer decides');

    review
      .command('list')
      .description('確認待ちの一覧 / list review items (default: pending)')
      .option('--tenant <tenant>', 'only this tenant')
      .option('--status <status>', 'pending | approved | rejected | all', 'pending')
      .option('--json', 'print a JSON array')
      .action(async (opts: { tenant?: string; status: string; json?: boolean }, cmd: Command) => {
        const { badInput } = await import('../../core/errors.js');
        if (!['pending', 'approved', 'rejected', 'all'].includes(opts.status)) throw badInput(`--status "${opts.status}": use pending, approved, rejected or all`);
        const { withContext } = await import('../context.js');
        const { createAuditLog } = await import('../../audit/log.js');
        const { createReviewQueue } = await import('../../review/queue.js');
        await withContext(cmd.optsWithGlobals() as GlobalOptions, async (ctx) => {
          const store = await ctx.store();
          const queue = createReviewQueue(store, createAuditLog(store, ctx.config));
          // Every item, page by page (the queue reads at most `limit` at a time).
          const items: ReviewItem[] = [];
          for (let after: number | undefined; ; ) {
            const page = await queue.page({
              limit: 500,
              ...(after !== undefined ? { after } : {}),
              ...(opts.tenant ? { tenant: opts.tenant } : {}),
              ...(opts.status !== 'all' ? { status: opts.status as 'pending' } : {}),
            });
            items.push(...page.items);
            if (!page.hasMore || !page.items.length) break;
            after = page.items[page.items.length - 1]!.id;
          }
          if (opts.json) process.stdout.write(JSON.stringify(items, null, 2) + '\n');
          else if (!items.length) process.stdout.write('確認待ちはありません / nothing to review\n');
          else items.forEach(printItem);
        });
      });

    review
      .command('approve')
      .description('承認 / approve (optionally with an edited text)')
      .argument('<id>', 'review item id', reviewId)
      .requiredOption('--reason <text>', 'why (recorded in the audit log)')
      .option('--as <user>', 'reviewer name recorded (default: the OS user)')
      .option('--edit <file>', 'release this text instead of the held output')
      .option('--json', 'print the decided item as JSON')
      .action((id: number, opts: DecideOptions, cmd: Command) => decide('approve', id, opts, cmd));

    review
      .command('reject')
      .description('差し戻し / reject')
      .argument('<id>', 'review item id', reviewId)
      .requiredOption('--reason <text>', 'why (recorded in the audit log)')
      .option('--as <user>', 'reviewer name recorded (default: the OS user)')
      .option('--json', 'print the decided item as JSON')
      .action((id: number, opts: DecideOptions, cmd: Command) => decide('reject', id, opts, cmd));
  },
};
