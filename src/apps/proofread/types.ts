import type { Morpheme } from '../../retrieval/analysis/tokenizer.js';

/** Rule families of the 公用文 proofreader (the `rule` field of a finding). */
export type RuleId =
  | 'keishiki-meishi' // 形式名詞はひらがな (こと, とき, ため, ように …)
  | 'hojo-doushi' // 補助動詞はひらがな (〜してください, 〜していく, 〜してみる, 〜しておく, 〜いたします)
  | 'fukushi-setsuzokushi' // 副詞・接続詞の表記 (ただし, なお … は仮名; 及び, 並びに, 又は, 若しくは は漢字)
  | 'dekiru' // 「できる」は仮名
  | 'hankaku' // 算用数字と英字は半角
  | 'kutouten' // 句読点は「、」「。」
  | 'ranuki' // ら抜き言葉
  | 'nijuu-keigo' // 二重敬語
  | 'gozaimasu' // 「ございます」は用いない
  | 'okurigana' // 公用文の送り仮名 (申込み, 取扱い, 届出; 行う, 少ない)
  | 'kigou' // 符号・括弧 (「！」「？」, 閉じていない括弧; advisory)
  | 'prh'; // 公用文 wording dictionary (1,121 rules)

/** One finding. `start`/`end` are JavaScript string offsets into the input. */
export interface ProofreadIssue {
  rule: RuleId;
  start: number;
  end: number;
  message: string;
  suggestion: string;
  /** True when `suggestion` replaces the span in `corrected`; false = advisory (rephrase by hand). */
  fix: boolean;
}

export interface ProofreadResult {
  issues: ProofreadIssue[];
  corrected: string;
}

/** A morpheme with its verified offsets in the input. */
export interface Token extends Morpheme {
  end: number;
}

/** What every rule sees: the text and its morphemes. */
export interface RuleContext {
  text: string;
  tokens: Token[];
  /** Offsets where a morpheme starts / ends. */
  starts: Set<number>;
  ends: Set<number>;
}

/** One rule family: finds issues in a text. Registered once in rules/index.ts. */
export interface RuleFamily {
  id: RuleId;
  title: string;
  check(ctx: RuleContext): Omit<ProofreadIssue, 'rule'>[];
}
