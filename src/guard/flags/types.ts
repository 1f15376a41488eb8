import type { NameAnalyzer } from '../names/analyzer.js';
import type { FlagDetail, GuardFlag, ScanOptions } from '../types.js';
import type { ProtectedCorpus } from './protected-corpus.js';
import type { ProtectedNames } from './protected-names.js';

export interface FlagContext {
  text: string;
  /** Width-folded, same length as text. */
  folded: string;
  /** Folded text without invisible characters; `map[i]` is the original index (null: identity). */
  visible: string;
  map: number[] | null;
  /** Whether the text carried invisible characters. */
  hadInvisible: boolean;
  options: ScanOptions;
  names: NameAnalyzer;
  protectedNames: ProtectedNames;
  corpus: ProtectedCorpus;
}

/** One flag rule: a small module registered in flags/index.ts. */
export interface FlagRule {
  flag: GuardFlag;
  /** Which texts it applies to (default: all). */
  origins?: readonly NonNullable<ScanOptions['origin']>[];
  detect(ctx: FlagContext): FlagDetail[];
}

/** Original offset of an index into `visible`. */
export function originalIndex(ctx: FlagContext, i: number): number {
  if (!ctx.map) return i;
  if (i >= ctx.map.length) return ctx.text.length;
  return ctx.map[i]!;
}
