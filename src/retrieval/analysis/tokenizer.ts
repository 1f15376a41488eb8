import { createRequire } from 'node:module';
import path from 'node:path';
import { defaultCacheDirs, loadIpadic, type IpadicLoadOptions } from './ipadic-cache.js';
import { IpadicDictionary } from './ipadic-dictionary.js';
import { ViterbiTokenizer } from './viterbi-tokenizer.js';

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

/**
 * The shared Japanese tokenizer, loaded once per process: kuromoji's IPADIC segmentation through the fast
 * loader and lattice in this folder, or plain kuromoji when the fast path cannot load.
 */
export function getTokenizer(): Promise<Tokenizer> {
  pending ??= loadFastTokenizer().catch((err: unknown) => {
    process.emitWarning(`fast Japanese tokenizer unavailable (${(err as Error).message}); using kuromoji`);
    return loadKuromojiTokenizer();
  });
  return pending;
}

/** kuromoji's dictionary folder (node_modules/kuromoji/dict). */
export function kuromojiDicPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict');
}

/** The fast path: decompressed dictionary from a cache file, flat-array Viterbi. */
export async function loadFastTokenizer(options: Partial<IpadicLoadOptions> = {}): Promise<Tokenizer> {
  const dicPath = options.dicPath ?? kuromojiDicPath();
  const { sections } = loadIpadic({ dicPath, cacheDirs: options.cacheDirs ?? defaultCacheDirs(dicPath) });
  return new ViterbiTokenizer(new IpadicDictionary(sections));
}

/** Plain kuromoji, as a fallback and as the reference the fast path is tested against. */
export async function loadKuromojiTokenizer(): Promise<Tokenizer> {
  const require = createRequire(import.meta.url);
  const kuromoji = require('kuromoji') as typeof import('kuromoji');
  const dicPath = kuromojiDicPath();
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
