/**
 * The gateway writes most error messages, and the built-in apps their titles, descriptions and field labels, in
 * both languages, Japanese first: 「モデル「x」はありません / the model "x" does not exist…」,
 * 「選んだモデルと対話します。/ Chat with the chosen model.」. The UI shows the half of the user's language; a text in
 * one language only, or one whose halves cannot be told apart (Japanese on both sides), is shown whole.
 */
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;
/** A slash followed by a space, after a space or a closing Japanese punctuation mark. */
const SEPARATOR = /(?<=[\s）。」』】])\/ /g;

export function messageIn(message: string, locale: 'ja' | 'en'): string {
  for (const m of message.matchAll(SEPARATOR)) {
    const ja = message.slice(0, m.index).trim();
    const en = message.slice(m.index + m[0].length).trim();
    // The split is where the Japanese ends: Japanese before it, none after it (a role list "auditor / admin" inside
    // the Japanese half is not the split).
    if (ja && en && JAPANESE.test(ja) && !JAPANESE.test(en)) return locale === 'ja' ? ja : en;
  }
  return message;
}
