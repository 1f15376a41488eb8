import type { FlagDetail } from '../types.js';
import { AI_DIRECTED, HIDDEN_CHANNELS, INJECTION_PATTERNS, MARKDOWN_EXFIL_RE } from './injection-patterns.js';
import { originalIndex, type FlagContext, type FlagRule } from './types.js';

/** Cheap pre-filter: every pattern below needs one of these words, so most texts stop here. */
const TRIGGERS = /無視|忘れ|破棄|リセット|取り消|撤回|上書|解除|無効|回避|破っ|プロンプト|あなた|君は|お前|制限|制約|フィルタ|検閲|モード|AI|ＡＩ|人工知能|アシスタント|チャットボット|モデル|送信|転送|送っ|送れ|送る|アップロード|指示|命令|指令|タスク|<!--|<\||<<|\[\/?(?:INST|SYS)|\[(?:\/\/|comment)\]|display|visibility|font-size|color|!\[|ignore|disregard|forget|override|bypass|reveal|prompt|instruction|you are|jailbreak|DAN|developer|pretend|send|post|upload|forward|exfiltrat|transmit|email|system/i;

export const promptInjectionRule: FlagRule = {
  flag: 'prompt_injection',
  detect(ctx) {
    const out: FlagDetail[] = [];
    const f = ctx.visible;
    if (!TRIGGERS.test(f)) return out;
    const via = ctx.hadInvisible ? '（不可視文字で隠された）' : '';
    for (const p of INJECTION_PATTERNS) {
      const m = p.re.exec(f);
      if (m) out.push(detail(ctx, `${p.reason}${via}: 「${clip(m[0])}」`, m.index, m.index + m[0].length, p.score));
    }
    const md = MARKDOWN_EXFIL_RE.exec(f);
    if (md) out.push(detail(ctx, `Markdown 画像 URL によるデータ送出: 「${clip(md[0])}」`, md.index, md.index + md[0].length, 0.85));
    for (const h of HIDDEN_CHANNELS) {
      h.re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = h.re.exec(f))) {
        const inner = m[m.length - 1] ?? '';
        if (!AI_DIRECTED.test(inner)) continue;
        // Hidden text that talks to a model is an injection even without a full pattern.
        out.push(detail(ctx, `${h.reason}の AI 宛て記述: 「${clip(inner.trim())}」`, m.index, m.index + m[0].length, 0.85));
      }
    }
    // Invisible characters threaded through letters: hiding words from people.
    if (ctx.hadInvisible && /[A-Za-z\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}][\u200b-\u200f\u2060-\u2064\ufeff][A-Za-z\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}][\u200b-\u200f\u2060-\u2064\ufeff]/u.test(ctx.text) && AI_DIRECTED.test(f)) {
      out.push({ flag: 'prompt_injection', reason: '不可視文字を挟んだ AI 宛て記述', score: 0.8 });
    }
    return out;
  },
};

function detail(ctx: FlagContext, reason: string, start: number, end: number, score: number): FlagDetail {
  return { flag: 'prompt_injection', reason, start: originalIndex(ctx, start), end: originalIndex(ctx, end - 1) + 1, score };
}

const clip = (s: string): string => (s.length > 60 ? s.slice(0, 60) + '…' : s);
