import { Parser as HtmlParser } from 'htmlparser2';
import { decodeText } from './decode.js';
import type { Block, ParsedDocument } from './types.js';

const BLOCK_TAGS = new Set(['p', 'div', 'section', 'article', 'blockquote', 'pre', 'tr', 'dd', 'dt', 'caption', 'br', 'table', 'ul', 'ol', 'main', 'header', 'footer', 'address']);
const SKIP_TAGS = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head']);

/** HTML (and mammoth's .docx output): headings, paragraphs, list items, table rows. */
export function parseHtmlContent(html: string): ParsedDocument {
  const blocks: Block[] = [];
  let buf = '';
  let title: string | undefined;
  let inTitle = false;
  let titleBuf = '';
  let skip = 0;
  let heading = 0;
  let listDepth = 0;
  const flush = (kind: 'paragraph' | 'list' = 'paragraph') => {
    const text = buf.replace(/[ \t\r\n\u00a0]+/g, ' ').trim();
    buf = '';
    if (!text) return;
    if (heading) blocks.push({ kind: 'heading', level: heading, text });
    else blocks.push({ kind, text });
  };
  const parser = new HtmlParser(
    {
      onopentag(name) {
        if (SKIP_TAGS.has(name)) {
          if (name === 'head') return; // keep <title> inside head
          skip++;
          return;
        }
        if (name === 'title') {
          inTitle = true;
          return;
        }
        if (/^h[1-6]$/.test(name)) {
          flush();
          heading = Number(name[1]);
        } else if (name === 'li') {
          flush();
          listDepth++;
        } else if (BLOCK_TAGS.has(name)) {
          flush(listDepth ? 'list' : 'paragraph');
        } else if (name === 'td' || name === 'th') {
          buf += ' ';
        }
      },
      ontext(text) {
        if (inTitle) titleBuf += text;
        else if (!skip) buf += text;
      },
      onclosetag(name) {
        if (SKIP_TAGS.has(name)) {
          if (name !== 'head') skip = Math.max(0, skip - 1);
          return;
        }
        if (name === 'title') {
          inTitle = false;
          title = titleBuf.trim() || undefined;
          return;
        }
        if (/^h[1-6]$/.test(name)) {
          flush();
          heading = 0;
        } else if (name === 'li') {
          flush('list');
          listDepth = Math.max(0, listDepth - 1);
        } else if (BLOCK_TAGS.has(name)) {
          flush(listDepth ? 'list' : 'paragraph');
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  const firstH1 = blocks.find((b) => b.kind === 'heading' && b.level === 1)?.text;
  const t = title ?? firstH1;
  return t === undefined ? { blocks } : { title: t, blocks };
}

export async function parseHtml(data: Buffer): Promise<ParsedDocument> {
  const declared = declaredCharset(data);
  return parseHtmlContent(decodeText(data, declared ? { declared } : {}));
}

/**
 * The charset an HTML file names in its first 1024 bytes, as a browser's prescan finds it: <meta charset>,
 * <meta http-equiv="Content-Type" content="…; charset=…">, or an XHTML file's XML declaration.
 */
export function declaredCharset(data: Uint8Array): string | undefined {
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, 1024)).toString('latin1');
  return (/<meta\s[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ?? /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([\w.:-]+)/i.exec(head))?.[1];
}
