import { validateDefinition } from '../definition.js';
import { awaitsReview, GovernanceLog } from '../governed-call.js';
import { applicableEntries, glossaryViolations, OFFICIAL_GLOSSARY, parseGlossaryLines, type GlossaryEntry } from '../translate/glossary.js';
import type { BuiltinApp } from '../types.js';
import { requireGenerative } from './generative.js';

const glossaryLines = (entries: GlossaryEntry[], direction: 'ja-en' | 'en-ja') =>
  entries.map((e) => (direction === 'ja-en' ? `${e.ja} → ${e.en}` : `${e.en} → ${e.ja}`)).join('\n');

/** 翻訳: Japanese⇄English with a glossary of official terms; the output is checked against the glossary and corrected once. */
export const translateApp: BuiltinApp = {
  definition: validateDefinition({
    id: 'translate',
    title: '翻訳 / Translation',
    description:
      '日本語と英語を相互に翻訳します。公的な用語は用語集の訳語を用い、守られていない訳語を報告します。生成モデルが必要です。/ Translates Japanese⇄English respecting a glossary of official terms; needs a generative model.',
    inputs: [
      { name: 'text', label: '原文 / Source text', type: 'textarea', required: true },
      { name: 'direction', label: '方向 / Direction', type: 'select', options: ['ja-en', 'en-ja'], default: 'ja-en' },
      { name: 'glossary', label: '追加の用語集（1行に「日本語=English」）/ Extra glossary', type: 'textarea' },
    ],
  }),
  async execute(inputs, ctx) {
    requireGenerative(ctx, '翻訳');
    const direction = (inputs.direction || 'ja-en') as 'ja-en' | 'en-ja';
    const extra = parseGlossaryLines(inputs.glossary ?? '');
    const entries = applicableEntries(inputs.text!, direction, [...OFFICIAL_GLOSSARY, ...extra.entries]);
    const target = direction === 'ja-en' ? 'English' : 'Japanese (公用文の表記)';
    const system =
      `Translate the user's text into ${target}. Output only the translation.` +
      (entries.length ? ` Use exactly these renderings for the official terms:\n${glossaryLines(entries, direction)}` : '');
    const log = new GovernanceLog();
    let r = await log.call(ctx, 'translate', { messages: [{ role: 'system', content: system }, { role: 'user', content: inputs.text! }] });
    if (awaitsReview(r)) return { app: 'translate', output: r.content, model: r.model.id, governance: log.summary()! };
    let violations = glossaryViolations(r.content, direction, entries);
    let retried = false;
    if (violations.length) {
      // One correction round: show the model its translation and the terms it must use.
      retried = true;
      r = await log.call(ctx, 'translate', {
        messages: [
          { role: 'system', content: `Revise the translation so that it uses exactly these renderings, changing nothing else. Output only the revised translation.\n${glossaryLines(violations, direction)}` },
          { role: 'user', content: r.content },
        ],
      });
      if (!awaitsReview(r)) violations = glossaryViolations(r.content, direction, entries);
    }
    return {
      app: 'translate',
      output: r.content.trim(),
      model: r.model.id,
      data: { direction, glossary: entries, violations, retried, ...(extra.ignored.length ? { glossaryIgnored: extra.ignored } : {}) },
      governance: log.summary()!,
    };
  },
};
