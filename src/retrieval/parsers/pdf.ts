import { unwrapPdfLines } from './pdf-lines.js';
import { parseTextContent } from './text.js';
import type { ParsedDocument } from './types.js';

/** PDF text through unpdf (pdf.js); each page's text, lines wrapped at the margin joined, paragraphs by blank lines. */
export async function parsePdf(data: Buffer): Promise<ParsedDocument> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(data), { verbosity: 0 });
  const { text } = await extractText(pdf, { mergePages: false });
  const pages = Array.isArray(text) ? text : [text];
  return parseTextContent(unwrapPdfLines(pages).join('\n\n'));
}
