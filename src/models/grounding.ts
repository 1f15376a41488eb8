import type { Citation } from '../core/types.js';
import type { ChatMessage, Passage } from './types.js';

/**
 * For generative models: put numbered passages into the prompt and ask for [n] citations or an explicit
 * abstention; then read the citations back out of the answer. The extractive model does not need this.
 */
export const GROUNDED_SYSTEM_PROMPT = [
  'あなたは行政機関の職員を支援するアシスタントです。以下の「資料」だけに基づいて日本語で回答してください。',
  '回答の各文の末尾に、根拠とした資料の番号を [1] のように付けてください。',
  `資料に答えが書かれていない場合は、推測せずに「${'資料に記載が見当たりません。'}」とだけ答えてください。`,
  'Answer only from the numbered sources below, cite them as [n], and if they do not contain the answer reply exactly 「資料に記載が見当たりません。」.',
].join('\n');

/** Said in place of the sources when the search found none: the model is to abstain, not answer from memory. */
export const NO_PASSAGES = '（この質問に該当する資料は見つかりませんでした / the search found no source for this question）';

export function renderPassages(passages: Passage[]): string {
  if (!passages.length) return NO_PASSAGES;
  return passages.map((p) => `[${p.n}] 出典: ${p.source}（${p.heading}）\n${p.text}`).join('\n\n');
}

/**
 * Messages with the grounding system prompt and the passages placed before the last user question. A grounded
 * request (資料QA, file_search) whose search found nothing still gets the prompt, saying so: a question over
 * the office's documents is answered from them or not at all.
 */
export function groundedMessages(messages: ChatMessage[], passages: Passage[]): ChatMessage[] {
  const system: ChatMessage = { role: 'system', content: `${GROUNDED_SYSTEM_PROMPT}\n\n# 資料\n${renderPassages(passages)}` };
  return [system, ...messages];
}

const ABSTAIN_RE = /資料に記載が見当たりません|資料には記載がありません|the sources do not (say|contain)/i;

/** Whether a reply says the sources do not hold the answer (the abstention the grounded prompt asks for). */
export const saysNotInSources = (content: string): boolean => ABSTAIN_RE.test(content);

/** Resolve [n] markers to citations (quote = the sentence that carries the marker). */
export function parseCitations(content: string, passages: Passage[]): { citations: Citation[]; abstained: boolean } {
  const byN = new Map(passages.map((p) => [p.n, p]));
  const citations: Citation[] = [];
  const seen = new Set<string>();
  const sentences = content.split(/(?<=[。．！？!?\n])/);
  for (const s of sentences) {
    for (const m of s.matchAll(/\[(\d{1,3})\]/g)) {
      const p = byN.get(Number(m[1]));
      if (!p) continue;
      const key = `${p.n}:${s}`;
      if (seen.has(key)) continue;
      seen.add(key);
      citations.push({ source: p.source, chunk: p.chunk, quote: s.replace(/\[\d{1,3}\]/g, '').trim(), heading: p.heading });
    }
  }
  return { citations, abstained: citations.length === 0 && saysNotInSources(content) };
}
