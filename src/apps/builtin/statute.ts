import { validateDefinition } from '../definition.js';
import { GovernanceLog } from '../governed-call.js';
import { statuteLabel } from '../statute/citation.js';
import type { BuiltinApp } from '../types.js';
import { publicCitation, retrievePassages } from './qa.js';

const STATUTE_SYSTEM =
  '与えられた条文だけに基づいて、質問に日本語で分かりやすく答えてください。根拠の条文を [n] で示し、法令名・条・項を明記してください。条文に書かれていないことは推測せず「資料に記載が見当たりません。」と答えてください。';

/** 法令検索: search a statute collection and explain, citing 法令名＋条＋項 (地方自治法第十条第二項). */
export const statuteApp: BuiltinApp = {
  definition: validateDefinition({
    id: 'statute',
    title: '法令検索 / Statute search',
    description:
      '法令のコレクションから関係する条文を検索し、条・項を示して説明します。/ Searches a statute collection and explains, citing law, article and paragraph.',
    inputs: [
      { name: 'question', label: '質問・キーワード / Question', type: 'textarea', required: true },
      { name: 'collection', label: '法令コレクション / Statute collection', type: 'text', default: 'laws' },
      { name: 'k', label: '参照する条文の数 / Articles', type: 'number', default: 5 },
    ],
  }),
  async execute(inputs, ctx) {
    const collection = inputs.collection || 'laws';
    const k = Math.min(20, Math.max(1, Math.round(Number(inputs.k || 5))));
    const passages = await retrievePassages(ctx, inputs.question!, collection, k);
    const log = new GovernanceLog();
    const r = await log.call(ctx, 'statute', {
      messages: [
        { role: 'system', content: STATUTE_SYSTEM },
        { role: 'user', content: inputs.question! },
      ],
      passages,
      collection,
    });
    const citations = (r.citations ?? []).map((c) => {
      const passage = passages.find((p) => p.source === c.source && p.chunk === c.chunk);
      const label = statuteLabel(c, passage?.text);
      return { ...publicCitation(c), ...(label ? { label } : {}) };
    });
    const labels = [...new Set(citations.map((c) => c.label).filter(Boolean))];
    const articles = passages.map((p) => ({ n: p.n, source: p.source, chunk: p.chunk, label: statuteLabel({ source: p.source, chunk: p.chunk, quote: p.text.slice(0, 30), heading: p.heading }, p.text), heading: p.heading }));
    const output = labels.length && !r.abstained ? `${r.content}\n\n根拠：${labels.join('、')}` : r.content;
    return { app: 'statute', output, model: r.model.id, abstained: r.abstained ?? false, citations, data: { articles }, governance: log.summary()! };
  },
};
