/**
 * The gateway writes most error messages in both languages, Japanese first: 「モデル「x」はありません / the model "x"
 * does not exist…」. The UI shows the half of the user's language; a message in one language only, or one whose
 * halves cannot be told apart (Japanese on both sides), is shown whole.
 */
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;
const SEPARATOR = ' / ';

export function messageIn(message: string, locale: 'ja' | 'en'): string {
  for (let i = message.indexOf(SEPARATOR); i >= 0; i = message.indexOf(SEPARATOR, i + 1)) {
    const ja = message.slice(0, i).trim();
    const en = message.slice(i + SEPARATOR.length).trim();
    // The split is where the Japanese ends: Japanese before it, none after it (a role list "auditor / admin" inside
    // the Japanese half is not the split).
    if (ja && en && JAPANESE.test(ja) && !JAPANESE.test(en)) return locale === 'ja' ? ja : en;
  }
  return message;
}
