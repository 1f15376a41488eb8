import MiniSearch from 'minisearch';
import type { Tokenizer } from '../../src/retrieval/analysis/tokenizer.js';

export interface BaselineDoc {
  id: string;
  title: string;
  text: string;
}

/** Particles and symbols dropped, base forms: what a developer would pass to MiniSearch as a Japanese tokenizer. */
export function kuromojiTerms(tokenizer: Tokenizer, text: string): string[] {
  const out: string[] = [];
  for (const m of tokenizer.tokenize(text)) {
    if (m.pos === '助詞' || m.pos === '記号') continue;
    if (m.base.trim()) out.push(m.base);
  }
  return out;
}

/** MiniSearch over title + text with the kuromoji tokenizer, default scoring (BM25+), OR queries. */
export function buildMiniSearch(tokenizer: Tokenizer, docs: BaselineDoc[]): MiniSearch<BaselineDoc> {
  const ms = new MiniSearch<BaselineDoc>({
    fields: ['title', 'text'],
    storeFields: [],
    tokenize: (text) => kuromojiTerms(tokenizer, text),
  });
  ms.addAll(docs);
  return ms;
}

/** Ranked document ids for a query. */
export function miniSearchIds(ms: MiniSearch<BaselineDoc>, query: string, k: number): string[] {
  return ms
    .search(query)
    .slice(0, k)
    .map((r) => String(r.id));
}
