import { parseHtmlContent } from './html.js';
import type { ParsedDocument } from './types.js';

/** .docx through mammoth's HTML conversion, so headings and lists keep their structure. */
export async function parseDocx(data: Buffer): Promise<ParsedDocument> {
  const mammoth = (await import('mammoth')).default;
  const { value } = await mammoth.convertToHtml({ buffer: data });
  return parseHtmlContent(value);
}
