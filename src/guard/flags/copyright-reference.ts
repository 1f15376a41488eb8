import type { Morpheme } from '../../retrieval/analysis/tokenizer.js';
import type { FlagDetail } from '../types.js';
import { originalIndex, type FlagContext, type FlagRule } from './types.js';

/** Style and reproduction cues; the creator or work is the name right before the cue. */
const STYLE_CUE =
  /風(?:に|の|で|な|味)|(?:の|っぽい)?(?:タッチ|画風|作風|文体|筆致|絵柄|絵のスタイル|スタイル|語り口|口調|世界観)(?:で|に|を|の)|っぽく|そっくり(?:に|な|の)|(?:を|の)(?:真似|まね|マネ|模倣|再現|パロディ)|みたいな(?:絵|イラスト|文章|小説|詩|歌詞|キャラ)|のように(?:書|描|歌)/g;
/** Asking for the text of a work or for its characters. */
const REPRODUCE_CUE = /(?:の)?(?:歌詞|全文|本文|続き|台詞|セリフ|あらすじ全部|第[0-9一二三四五六七八九十]+(?:章|話|巻))(?:を|の)?(?:全部|すべて|そのまま|丸ごと)?(?:書|教え|出力|表示|再現|載せ|貼)|(?:のキャラクター|のキャラ)?を(?:描いて|描け|イラストに|画像に|生成|作画)|(?:の)?(?:イラスト|画像|絵|グッズ|ロゴ)を(?:描|作|生成)/g;
const EN_STYLE = /\b(?:in the style of|in the manner of|imitat(?:e|ing)|mimic(?:king)?|style of)\s+([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})/g;
const ANY_CUE = /風|タッチ|画風|作風|文体|筆致|絵柄|スタイル|語り口|口調|世界観|っぽ|そっくり|真似|まね|マネ|模倣|再現|パロディ|みたいな|のように|歌詞|全文|本文|続き|台詞|セリフ|第.{1,3}[章話巻]|描|イラスト|画像|style|imitat|mimic/i;
/** Style words that are not creators (和風, レトロ風, ビジネス文体). */
const NOT_CREATORS = new Set(['レトロ', 'モダン', 'ポップ', 'アニメ', 'マンガ', '漫画', 'ビジネス', 'カジュアル', 'フォーマル', 'シンプル', 'ナチュラル', 'クラシック', 'エレガント', 'ミニマル', 'ファンタジー', 'SF', 'ミステリー', 'ホラー', 'コミカル', 'リアル', 'ニュース', 'レポート', 'ブログ', 'メール', 'プレゼン', 'スライド', 'ポスター', 'チラシ', 'イラスト', 'デザイン', 'キャラクター', 'ゆるキャラ', 'マスコット', 'ロゴ', 'アイコン']);
const TITLE_SUFFIX = /(?:監督|先生|氏|さん|作品|作家|画伯|原作)?(?:の(?:歌詞|曲|詩|作品|小説|漫画|マンガ|映画|絵|イラスト|アニメ|キャラクター|キャラ|作風|世界))?$/;

export const copyrightReferenceRule: FlagRule = {
  flag: 'copyright_reference',
  origins: ['prompt'],
  detect(ctx) {
    const f = ctx.visible;
    if (!ANY_CUE.test(f)) return [];
    const out: FlagDetail[] = [];
    for (const re of [STYLE_CUE, REPRODUCE_CUE]) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(f))) {
        const name = nameBefore(ctx, m.index, re === STYLE_CUE ? m[0] : '');
        if (!name) continue;
        // A reproduction cue needs a listed (or quoted) name: 「山田さんの議事録を書いて」 is ordinary work.
        if (re === REPRODUCE_CUE && !name.listed) continue;
        out.push({ flag: 'copyright_reference', reason: `「${name.text}」の${re === STYLE_CUE ? '作風・表現の模倣' : '作品・キャラクターの再現'}を求める表現「${m[0]}」`, start: originalIndex(ctx, name.start), end: originalIndex(ctx, m.index + m[0].length - 1) + 1, score: name.listed ? 0.95 : 0.8 });
      }
    }
    EN_STYLE.lastIndex = 0;
    let e: RegExpExecArray | null;
    while ((e = EN_STYLE.exec(f))) out.push({ flag: 'copyright_reference', reason: `imitation request: "${e[0]}"`, start: originalIndex(ctx, e.index), end: originalIndex(ctx, e.index + e[0].length - 1) + 1, score: 0.85 });
    return out;
  },
};

interface NameHit {
  text: string;
  start: number;
  listed: boolean;
}

/** The creator/work/character name ending at `end` (before the cue), or null. */
function nameBefore(ctx: FlagContext, end: number, cue: string): NameHit | null {
  const f = ctx.visible;
  let e = end;
  const titled = TITLE_SUFFIX.exec(f.slice(Math.max(0, e - 6), e));
  if (titled) e -= titled[0].length;
  if (e <= 0) return null;
  if (f[e - 1] === 'の') e--;
  // Quoted titles: 『鬼滅の刃』風に, 「となりのトトロ」のタッチで.
  if (/[」』】"]/.test(f[e - 1] ?? '')) {
    const open = f.lastIndexOf(f[e - 1] === '」' ? '「' : f[e - 1] === '』' ? '『' : f[e - 1] === '】' ? '【' : '"', e - 2);
    if (open >= 0 && e - open <= 30) return { text: f.slice(open + 1, e - 1), start: open, listed: true };
  }
  const listed = ctx.protectedNames.endingAt(f, e);
  if (listed) return { text: listed, start: e - listed.length, listed: true };
  if (!cue) return null;
  // Names in no list: kuromoji on a short window (proper nouns, unknown katakana runs).
  const from = Math.max(0, e - 16, f.lastIndexOf('\n', e - 1) + 1);
  const window = f.slice(from, end + 1);
  const toks = ctx.names.tokenize(window);
  if (!toks) return katakanaRun(f, e);
  // A cue glued into one word (和風, 洋風, 今風) is an ordinary word.
  if (cue.startsWith('風') && !toks.some((t) => from + t.start === end)) return null;
  const nameToks: Morpheme[] = [];
  for (let i = toks.length - 1; i >= 0; i--) {
    const t = toks[i]!;
    const s = from + t.start;
    if (s + t.surface.length > e) continue;
    if (isCreatorToken(t)) nameToks.unshift(t);
    else break;
  }
  if (!nameToks.length) return null;
  const text = nameToks.map((t) => t.surface).join('');
  if (NOT_CREATORS.has(text) || nameToks.some((t) => t.pos2 === '地域')) return null;
  const strong = nameToks.some((t) => t.pos1 === '固有名詞' || !t.known);
  if (!strong && !/^[\p{Script=Katakana}ー・]{3,}$/u.test(text)) return null;
  return { text, start: from + nameToks[0]!.start, listed: false };
}

function isCreatorToken(t: Morpheme): boolean {
  if (t.pos !== '名詞' || t.pos1 === '接尾' || t.pos1 === '数' || t.pos1 === '代名詞' || t.pos1 === '非自立') return false;
  if (t.pos1 === '固有名詞') return true;
  if (!t.known) return true;
  return /^[\p{Script=Katakana}ー・]{2,}$/u.test(t.surface) && !NOT_CREATORS.has(t.surface);
}

function katakanaRun(f: string, e: number): NameHit | null {
  let a = e;
  while (a > 0 && /[\p{Script=Katakana}ー・]/u.test(f[a - 1]!)) a--;
  const text = f.slice(a, e);
  return e - a >= 3 && !NOT_CREATORS.has(text) ? { text, start: a, listed: false } : null;
}
