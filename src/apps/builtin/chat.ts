import { validateDefinition } from '../definition.js';
import { GovernanceLog } from '../governed-call.js';
import type { BuiltinApp } from '../types.js';

/** チャット: general chat with the chosen model (the extractive model says plainly that it cannot chat). */
export const chatApp: BuiltinApp = {
  definition: validateDefinition({
    id: 'chat',
    title: 'チャット / Chat',
    description: '選んだモデルと対話します。/ Chat with the chosen model.',
    inputs: [
      { name: 'message', label: 'メッセージ / Message', type: 'textarea', required: true },
      { name: 'system', label: '指示（任意）/ System instruction (optional)', type: 'textarea' },
    ],
  }),
  async execute(inputs, ctx) {
    const log = new GovernanceLog();
    const r = await log.call(ctx, 'chat', {
      messages: [...(inputs.system ? [{ role: 'system' as const, content: inputs.system }] : []), { role: 'user', content: inputs.message! }],
    });
    return { app: 'chat', output: r.content, model: r.model.id, ...(r.abstained ? { abstained: true } : {}), governance: log.summary()! };
  },
};
