import { decodeText } from './decode.js';
import { stripBom } from './text.js';
import type { Block, ParsedDocument } from './types.js';

/** Markdown: ATX headings (#), list items, paragraphs; code fences kept as paragraphs. */
export function parseMarkdownContent(text: string): ParsedDocument {
  const lines = stripBom(text).replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  let title: string | undefined;
  let inFence = false;
  const flush = () => {
    if (para.length) blocks.push({ kind: 'paragraph', text: para.join('\n') });
    para = [];
  };
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      para.push(line);
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      flush();
      const level = h[1]!.length;
      const text = stripInline(h[2]!);
      if (level === 1 && title === undefined) title = text;
      blocks.push({ kind: 'heading', level, text });
      continue;
    }
    const li = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (li) {
      flush();
      blocks.push({ kind: 'list', text: stripInline(li[1]!) });
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    para.push(stripInline(line.trim()));
  }
  flush();
  return title === undefined ? { blocks } : { title, blocks };
}

function stripInline(s: string): string {
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|`)/g, '');
}

export async function parseMarkdown(data: Buffer): Promise<ParsedDocument> {
  return parseMarkdownContent(decodeText(data));
}
