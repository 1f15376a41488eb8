/** Split Japanese (and English) text into sentences, keeping the terminator with its sentence. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0; // inside 「」『』（） a 。 does not end the sentence
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    cur += ch;
    if ('「『（(【'.includes(ch)) depth++;
    else if ('」』）)】'.includes(ch)) depth = Math.max(0, depth - 1);
    const end = ch === '\n' || (depth === 0 && (ch === '。' || ch === '！' || ch === '？' || ch === '!' || ch === '?' || (ch === '.' && /\s/.test(text[i + 1] ?? ' '))));
    if (end) {
      if (cur.trim()) out.push(cur);
      cur = '';
    }
  }
  if (cur.trim()) out.push(cur);
  return out;
}

/** Where a piece of at most `max` characters of `s` ends: after the last 、，, or space in its last 40%, else at `max` (never inside a surrogate pair). */
function breakAt(s: string, max: number): number {
  for (let i = max; i > Math.floor(max * 0.6); i--) if ('、，, 　'.includes(s[i - 1]!)) return i;
  const hi = s.charCodeAt(max - 1);
  return hi >= 0xd800 && hi <= 0xdbff ? max - 1 : max;
}

/** A sentence cut into pieces of at most `max` characters (text without 。 or line breaks, e.g. from some PDFs). */
function splitLong(s: string, max: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (rest.length > max) {
    const at = breakAt(rest, max);
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  out.push(rest);
  return out;
}

/** Pack sentences into pieces of at most `max` characters; a sentence longer than max is cut (splitLong). */
export function packSentences(sentences: string[], max: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const sentence of sentences) {
    for (const s of sentence.length > max ? splitLong(sentence, max) : [sentence]) {
      if (cur && cur.length + s.length > max) {
        if (cur.trim()) out.push(cur.trim());
        cur = '';
      }
      cur += s;
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
