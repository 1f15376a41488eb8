import { tokenIndexAt } from '../morphology.js';
import type { RuleContext, Token } from '../types.js';

/**
 * Where the wording dictionary (data/prh-entries.ts, kept unchanged) is wrong for 公用文, found by running
 * the proofreader over e-Gov statutes: a dropped entry, or a condition on the morphemes at the match.
 */

/**
 * Entries not applied. 鑑み → かんがみ contradicts the dictionary's own かんがみ → 鑑み (かんがみる is a reading of
 * 鑑 in the 常用漢字表 since 2010, and current statutes write 鑑み): both fired, each undoing the other.
 */
export const DROPPED: ReadonlySet<string> = new Set(['鑑み']);

type Condition = (at: Token, prev: Token | undefined, next: Token | undefined) => boolean;

const isVerb = (t: Token) => t.pos === '動詞';
/** する's せ (対応せなければ, 対応せぬ); in the causative させない / 行わせなければ the せ is the suffix せる. */
const isSuruSe: Condition = (t) => t.pos === '動詞' && t.pos1 === '自立' && t.base === 'する';

/**
 * Entries that apply only where a condition on the morpheme at the match (and its neighbours) holds.
 * - 見出し → 見いだし is the verb 見いだす; the noun 見出し (a heading: 見出しを付ける) is correct.
 * - せなければ, せない, せぬ, せねば, せられる → しなければ … is する; the causative gave 利用さしなければ, 預託さしない.
 * - 所が、 → ところが、 is the conjunction; 取引所が、 製造所が、 are the suffix 所.
 * - 目論見 → もくろみ, but 目論見書 is the statutory term (金融商品取引法 第2条第10項).
 * - 子ども → 子供, but not in the names of statutes and programmes (子ども・子育て支援法, 子ども手当).
 */
const CONDITIONS: Record<string, Condition> = {
  見出し: isVerb,
  見出さ: isVerb,
  見出せ: isVerb,
  見出そ: isVerb,
  見出す: isVerb,
  せなければ: isSuruSe,
  せない: isSuruSe,
  せぬ: isSuruSe,
  せねば: isSuruSe,
  せられる: isSuruSe,
  '所が、': (t, prev) => t.pos1 !== '接尾' && !(prev && prev.pos === '名詞' && prev.end === t.start),
  目論見: (_t, _prev, next) => !next?.surface.startsWith('書'),
  // 子ども → 子供, except in names fixed by law: 子ども・子育て支援法, 地域子ども・子育て支援事業, 子ども手当.
  子ども: (_t, _prev, next) => !(next && (next.surface === '・' || next.surface.startsWith('手当'))),
};

/** Whether the dictionary entry `pattern` may apply at `start` (the match spans start … start + pattern.length). */
export function allowedAt(ctx: RuleContext, pattern: string, start: number): boolean {
  const condition = CONDITIONS[pattern];
  if (!condition) return true;
  const i = tokenIndexAt(ctx, start);
  if (i === undefined) return false;
  let j = i;
  while (j < ctx.tokens.length && ctx.tokens[j]!.start < start + pattern.length) j++;
  return condition(ctx.tokens[i]!, ctx.tokens[i - 1], ctx.tokens[j]);
}

