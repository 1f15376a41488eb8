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

/** Pack sentences into pieces of at most `max` characters (a sentence longer than max stands alone). */
export function packSentences(sentences: string[], max: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const s of sentences) {
    if (cur && cur.length + s.length > max) {
      out.push(cur.trim());
      cur = '';
    }
    cur += s;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
