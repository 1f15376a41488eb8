import path from 'node:path';
import { parseDocx } from './docx.js';
import { parseHtml } from './html.js';
import { parseMarkdown } from './markdown.js';
import { parsePdf } from './pdf.js';
import { parseText } from './text.js';
import type { Parser } from './types.js';

/** One table: file extension → parser. Add a format here. */
export const PARSERS: Record<string, Parser> = {
  '.txt': parseText,
  '.text': parseText,
  '.md': parseMarkdown,
  '.markdown': parseMarkdown,
  '.html': parseHtml,
  '.htm': parseHtml,
  '.pdf': parsePdf,
  '.docx': parseDocx,
};

export function parserFor(file: string): Parser | undefined {
  return PARSERS[path.extname(file).toLowerCase()];
}

export const SUPPORTED_EXTENSIONS = Object.keys(PARSERS);
