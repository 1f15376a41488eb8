import { badInput } from '../../core/errors.js';
import type { Citation } from '../../core/types.js';
import type { Passage } from '../../models/types.js';
import { validateDefinition } from '../definition.js';
import { GovernanceLog } from '../governed-call.js';
import type { AppRunContext, BuiltinApp } from '../types.js';

const GROUNDED_SYSTEM =
  '与えられた資料だけに基づいて日本語で答えてください。根拠とした資料を [n] の形で示してください。資料に書かれていないことは推測せず「資料に記載が見当たりません。」と答えてください。';

/** Retrieve passages from a collection in the actor's tenant (shared by 資料QA and 法令検索). */
export async function retrievePassages(ctx: AppRunContext, query: string, collection: string, k: number): Promise<Passage[]> {
  if (!ctx.search) throw badInput('retrieval is not available here: run this app where a store is configured');
  const hits = await ctx.search(query, { collection, k });
  return hits.map((h, i) => ({ n: i + 1, source: h.source, chunk: h.chunk, heading: h.heading, text: h.text, score: h.score }));
}

export const publicCitation = (c: Citation): Citation => ({ source: c.source, chunk: c.chunk, quote: c.quote, ...(c.heading ? { heading: c.heading } : {}) });

/** 資料QA: answers from a collection with citations; abstains when the sources do not say. */
export const qaApp: BuiltinApp = {
  definition: validateDefinition({
    id: 'qa',
    title: '資料QA / Document QA',
    description: '指定したコレクションの資料に基づいて、出典付きで回答します。資料に記載がなければ回答を控えます。/ Answers from a collection with citations; abstains when the sources do not say.',
    inputs: [
      { name: 'question', label: '質問 / Question', type: 'textarea', required: true },
      { name: 'collection', label: 'コレクション / Collection', type: 'text', required: true },
      { name: 'k', label: '参照する資料の数 / Passages', type: 'number', default: 5 },
    ],
  }),
  async execute(inputs, ctx) {
    const k = Math.min(20, Math.max(1, Math.round(Number(inputs.k || 5))));
    const passages = await retrievePassages(ctx, inputs.question!, inputs.collection!, k);
    const log = new GovernanceLog();
    const r = await log.call(ctx, 'qa', {
      messages: [
        { role: 'system', content: GROUNDED_SYSTEM },
        { role: 'user', content: inputs.question! },
      ],
      passages,
      collection: inputs.collection!,
    });
    return {
      app: 'qa',
      output: r.content,
      model: r.model.id,
      abstained: r.abstained ?? false,
      citations: (r.citations ?? []).map(publicCitation),
      data: { passages: passages.map((p) => ({ n: p.n, source: p.source, chunk: p.chunk, heading: p.heading })) },
      governance: log.summary()!,
    };
  },
};
