import { createRequire } from 'node:module';
import path from 'node:path';

/** One morpheme: what the analyzer needs from a morphological analyser. */
export interface Morpheme {
  surface: string;
  /** Part of speech, top level (名詞, 動詞, 助詞, …). */
  pos: string;
  /** Second level (固有名詞, 数, 一般, …). */
  pos1: string;
  /** Third level (人名, 地域, …). */
  pos2: string;
  pos3: string;
  /** Dictionary (base) form; the surface for unknown words. */
  base: string;
  /** Katakana reading, '' when unknown. */
  reading: string;
  /** Offset of the surface in the input (JavaScript string index). */
  start: number;
  /** Whether the word was found in the dictionary. */
  known: boolean;
}

export interface Tokenizer {
  tokenize(text: string): Morpheme[];
}

let pending: Promise<Tokenizer> | null = null;

/** The shared Japanese tokenizer (kuromoji with its bundled IPADIC), loaded once per process. */
export function getTokenizer(): Promise<Tokenizer> {
  pending ??= loadKuromoji();
  return pending;
}

async function loadKuromoji(): Promise<Tokenizer> {
  const require = createRequire(import.meta.url);
  const kuromoji = require('kuromoji') as typeof import('kuromoji');
  const dicPath = path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict');
  const tok = await new Promise<import('kuromoji').Tokenizer<import('kuromoji').IpadicFeatures>>((resolve, reject) =>
    kuromoji.builder({ dicPath }).build((err, t) => (err ? reject(err) : resolve(t))),
  );
  return {
    tokenize(text: string): Morpheme[] {
      return tok.tokenize(text).map((t) => ({
        surface: t.surface_form,
        pos: t.pos,
        pos1: t.pos_detail_1,
        pos2: t.pos_detail_2,
        pos3: t.pos_detail_3,
        base: t.basic_form && t.basic_form !== '*' ? t.basic_form : t.surface_form,
        reading: t.reading && t.reading !== '*' ? t.reading : '',
        start: t.word_position - 1,
        known: t.word_type === 'KNOWN',
      }));
    },
  };
}
