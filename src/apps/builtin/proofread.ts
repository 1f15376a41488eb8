import { validateDefinition } from '../definition.js';
import { proofread, publicIssue } from '../proofread/proofreader.js';
import type { BuiltinApp } from '../types.js';

/** 公用文校正: deterministic rule-based proofreading; no model is called. */
export const proofreadApp: BuiltinApp = {
  definition: validateDefinition({
    id: 'proofread',
    title: '公用文校正 / Official-style proofreading',
    description:
      '「公用文作成の考え方」「公用文における漢字使用等について」に基づき、表記のルール違反を指摘し修正案を示します（モデル不要）。/ Flags departures from the official writing rules and proposes corrections (rule-based, no model).',
    inputs: [{ name: 'text', label: '本文 / Text', type: 'textarea', required: true }],
  }),
  async execute(inputs) {
    const r = await proofread(inputs.text!);
    const lines = r.issues.map((i) => `・${inputs.text!.slice(i.start, i.end)} → ${i.suggestion}（${i.rule}）${i.message}`);
    const report = r.issues.length ? `指摘 ${r.issues.length} 件 / ${r.issues.length} findings\n${lines.join('\n')}` : '指摘はありません / no findings';
    return { app: 'proofread', output: r.corrected, model: null, data: { issues: r.issues.map(publicIssue), corrected: r.corrected, report } };
  },
};
