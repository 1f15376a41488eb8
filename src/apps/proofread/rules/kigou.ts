import { isJapanese } from '../morphology.js';
import type { RuleFamily } from '../types.js';

const QUOTES: Record<string, string> = { '「': '」', '『': '』' };
const BRACKETS: Record<string, string> = { '（': '）', '［': '］', '【': '】', '〔': '〕' };

type Finding = ReturnType<RuleFamily['check']>[number];
const advisory = (at: number, c: string, message: string): Finding => ({ start: at, end: at + 1, suggestion: c, message, fix: false });

/**
 * Pair the marks of `pairs` (a paragraph break closes nothing: what is still open there is reported), skipping
 * positions `skip` says to. Returns the findings and the spans of the pairs that closed.
 */
function pair(text: string, pairs: Record<string, string>, skip: (i: number) => boolean): { findings: Finding[]; spans: [number, number][] } {
  const closers = new Map(Object.entries(pairs).map(([o, c]) => [c, o]));
  const findings: Finding[] = [];
  const spans: [number, number][] = [];
  const open: { c: string; at: number }[] = [];
  const unclosed = (o: { c: string; at: number }) =>
    findings.push(advisory(o.at, o.c, `括弧「${o.c}」が閉じられていません（「${pairs[o.c]}」がありません） / bracket left open`));
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n' && text[i + 1] === '\n') open.splice(0).forEach(unclosed);
    if (skip(i)) continue;
    if (pairs[c]) open.push({ c, at: i });
    else if (closers.has(c)) {
      const j = open.map((o) => o.c).lastIndexOf(closers.get(c)!);
      if (j < 0) findings.push(advisory(i, c, `閉じ括弧「${c}」に対応する「${closers.get(c)}」がありません / closing bracket without its opening one`));
      else {
        const [opened, ...inner] = open.splice(j);
        inner.forEach(unclosed);
        spans.push([opened!.at, i]);
      }
    }
  }
  open.forEach(unclosed);
  return { findings, spans };
}

/**
 * 符号 (公用文作成の考え方): 「？」「！」 are not used in 法令・告示・通知 (広報 may use them), and every bracket is
 * closed by its own pair — a 「 left open or a ） without its （ is a slip. Inside a closed quotation the text is
 * quoted as is (a 読替え: 「公益法人等（」とあるのは), so only the quotation marks are paired there. Advisory:
 * where a bracket belongs, or how to rephrase a question, is for the writer.
 */
export const kigou: RuleFamily = {
  id: 'kigou',
  title: '符号・括弧 / marks and brackets',
  check({ text }) {
    const out: Finding[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '！' || c === '？' || ((c === '!' || c === '?') && isJapanese(text[i - 1]))) {
        out.push(advisory(i, c, `通知・告示などの公用文では「${c}」を用いません（広報などでは使うことがあります） / avoid ${c} in official notices`));
      }
    }
    const quotes = pair(text, QUOTES, () => false);
    const quoted = new Uint8Array(text.length);
    for (const [s, e] of quotes.spans) quoted.fill(1, s + 1, e);
    const brackets = pair(text, BRACKETS, (i) => quoted[i] === 1);
    return [...out, ...quotes.findings, ...brackets.findings];
  },
};
