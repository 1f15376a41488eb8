import { decodeText } from './decode.js';
import type { Block, ParsedDocument } from './types.js';

/** Plain text: paragraphs are separated by blank lines; every line of a statute is kept as its own paragraph. */
export function parseTextContent(text: string): ParsedDocument {
  const lines = stripBom(text).replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let title: string | undefined;
  // e-Gov's plain-text rendering starts with a "# 法令名" line.
  const first = lines.findIndex((l) => l.trim() !== '');
  const m = first >= 0 ? /^#\s+(.+)$/.exec(lines[first]!.trim()) : null;
  if (m) {
    title = m[1]!.trim();
    blocks.push({ kind: 'heading', level: 1, text: title });
    lines.splice(first, 1);
  }
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ kind: 'paragraph', text: para.join('\n') });
    para = [];
  };
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (!line.trim()) {
      flush();
      continue;
    }
    para.push(line.trim());
  }
  flush();
  return title === undefined ? { blocks } : { title, blocks };
}

export function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

export async function parseText(data: Buffer): Promise<ParsedDocument> {
  return parseTextContent(decodeText(data));
}
