import type { DraftKind } from './templates.js';

/** What each template adds after the subject; typed by the user too, it would appear twice. */
const ADDED: Record<DraftKind, RegExp> = {
  通知文: /[（(]\s*通知\s*[）)]$/,
  依頼文: /[（(]\s*依頼\s*[）)]$/,
  回答文: /[（(]\s*回答\s*[）)]$/,
  議事録: /[\s　]*議事録$/,
  起案文の要旨: /[（(]\s*起案\s*[）)]$/,
  お知らせ: /の?お知らせ$/,
};

/**
 * The subject as the templates expect it: without the ending the template adds itself. A clerk writes the
 * whole 件名 — 調査への協力について（依頼）, 休館のお知らせ, 第3回会議議事録 — which gave
 * 調査への協力について（依頼）について（依頼） and 休館のお知らせのお知らせ.
 */
export function subjectOf(title: string, kind: DraftKind): string {
  const bare = title.trim().replace(ADDED[kind], '').trim().replace(/について$/, '').trim();
  return bare || title.trim();
}
