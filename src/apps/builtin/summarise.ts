import type { Citation } from '../../core/types.js';
import { validateDefinition } from '../definition.js';
import { awaitsReview, GovernanceLog } from '../governed-call.js';
import { LENGTHS, selectSentences, splitParts, type SummaryLength, type SummaryPart } from '../summarise/extractive.js';
import type { AppResult, AppRunContext, BuiltinApp } from '../types.js';

const CHARS: Record<SummaryLength, number> = { short: 150, medium: 300, long: 600 };

async function generativeSummary(parts: SummaryPart[], length: SummaryLength, style: string, ctx: AppRunContext): Promise<AppResult> {
  const log = new GovernanceLog();
  const form = style === 'bullets' ? '箇条書き（各行「・」で始める）' : '文章';
  const partial: string[] = [];
  let model = ctx.model;
  for (const p of parts) {
    const r = await log.call(ctx, 'summarise', {
      messages: [
        { role: 'system', content: `次の文章を${CHARS[length]}字程度の${form}で要約してください。書かれていないことは加えないでください。要約だけを出力してください。` },
        { role: 'user', content: p.text },
      ],
    });
    model = r.model.id;
    if (awaitsReview(r)) return { app: 'summarise', output: r.content, model, governance: log.summary()! };
    partial.push(r.content.trim());
  }
  let output = parts.length === 1 ? partial[0]! : partial.map((s, i) => `${s}［部分${i + 1}］`).join('\n');
  if (parts.length > 1) {
    const r = await log.call(ctx, 'summarise', {
      messages: [
        { role: 'system', content: `次は長い文書を部分ごとに要約したものです。全体を${CHARS[length]}字程度の${form}にまとめてください。各文の末尾の［部分n］は根拠として残してください。` },
        { role: 'user', content: output },
      ],
    });
    model = r.model.id;
    output = r.content.trim();
  }
  const citations: Citation[] = parts.map((p, i) => ({ source: 'input', chunk: p.n, quote: partial[i]!.slice(0, 200), heading: `部分${p.n}` }));
  return { app: 'summarise', output, model, citations, data: { mode: 'generative', parts: parts.length }, governance: log.summary()! };
}

/** 要約: split long input, select sentences per part and combine, citing the parts; a generative model writes prose when chosen. */
export const summariseApp: BuiltinApp = {
  definition: validateDefinition({
    id: 'summarise',
    title: '要約 / Summary',
    description:
      '長い文書を分割し、部分ごとに要約して統合します。出典として部分番号を示します。抽出型モデルでは原文の重要な文をそのまま選びます。/ Summarises long documents part by part with citations to the parts; the extractive model selects sentences verbatim.',
    inputs: [
      { name: 'text', label: '本文 / Text', type: 'textarea', required: true },
      { name: 'length', label: '長さ / Length', type: 'select', options: Object.keys(LENGTHS), default: 'medium' },
      { name: 'style', label: '形式 / Style', type: 'select', options: ['bullets', 'prose'], default: 'bullets' },
    ],
  }),
  async execute(inputs, ctx) {
    const length = (inputs.length || 'medium') as SummaryLength;
    const style = inputs.style || 'bullets';
    const parts = splitParts(inputs.text!);
    if (ctx.models.isGenerative(ctx.model)) return generativeSummary(parts, length, style, ctx);
    const chosen = await selectSentences(parts, length);
    const cite = (part: number) => (parts.length > 1 ? `［部分${part}］` : '');
    const output =
      style === 'bullets' ? chosen.map((s) => `・${s.text}${cite(s.part)}`).join('\n') : chosen.map((s) => `${s.text}${cite(s.part)}`).join('');
    return {
      app: 'summarise',
      output,
      model: null,
      citations: chosen.map((s) => ({ source: 'input', chunk: s.part, quote: s.text, heading: `部分${s.part}` })),
      data: { mode: 'extractive', parts: parts.length, note: '抽出型要約：原文の文をそのまま選んでいます / extractive: sentences are quoted verbatim' },
    };
  },
};
