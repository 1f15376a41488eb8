/**
 * Bytes of a text document → a string, for the encodings Japanese offices save in: UTF-8, UTF-16 with a
 * byte-order mark (Windows' "Unicode"), Shift_JIS (Windows-31J: メモ帳, Excel CSV, old web pages) and EUC-JP.
 * Every decoder is strict: a file that is none of them fails with a reason instead of being stored as U+FFFD.
 * Node's TextDecoder knows all of these (full ICU, the default build of Node 20).
 */

const BOMS: { bytes: number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/** Labels people write that the WHATWG encoding standard does not list. */
const ALIASES: Record<string, string> = { cp932: 'shift_jis', 'x-ms-cp932': 'shift_jis', eucjp: 'euc-jp', euc_jp: 'euc-jp', 'x-eucjp': 'euc-jp' };

/** Tried in this order when the bytes are not UTF-8 and the document names no charset that fits them. */
const LEGACY = ['shift_jis', 'euc-jp'];

export const NOT_TEXT = 'UTF-8・Shift_JIS・EUC-JP のテキストとして読めません / not UTF-8 / Shift_JIS / EUC-JP text: save it as UTF-8';

export interface DecodeOptions {
  /** The charset the document declares (an HTML <meta charset>), tried after UTF-8 and before guessing. */
  declared?: string;
}

export function decodeText(data: Uint8Array, options: DecodeOptions = {}): string {
  const bom = BOMS.find((b) => b.bytes.every((byte, i) => data[i] === byte));
  if (bom) {
    const text = strict(bom.encoding, data.subarray(bom.bytes.length));
    if (text === null) throw new Error(`${bom.encoding.toUpperCase()} の BOM がありますが、その符号化として読めません / the file starts with a ${bom.encoding.toUpperCase()} byte-order mark but is not valid ${bom.encoding.toUpperCase()}: save it as UTF-8`);
    return text;
  }
  if (data.includes(0)) throw new Error('テキストではなくバイナリファイルのようです / this looks like a binary file, not text (UTF-16 text needs a byte-order mark): save it as UTF-8');
  const utf8 = strict('utf-8', data);
  if (utf8 !== null) return utf8;
  const declared = options.declared && encodingOf(options.declared);
  if (declared) {
    const text = strict(declared, data);
    if (text !== null) return text;
  }
  // Both may decode one file (EUC-JP kana pairs are valid half-width katakana in Shift_JIS): keep the likelier text.
  const candidates = LEGACY.map((e) => strict(e, data)).filter((t): t is string => t !== null);
  if (!candidates.length) throw new Error(NOT_TEXT);
  return candidates.reduce((best, t) => (unlikely(t) < unlikely(best) ? t : best));
}

/** The WHATWG name of a charset label, or undefined when TextDecoder does not know it. */
export function encodingOf(label: string): string | undefined {
  const l = label.trim().toLowerCase();
  try {
    return new TextDecoder(ALIASES[l] ?? l).encoding;
  } catch {
    return undefined;
  }
}

function strict(encoding: string, data: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    return null;
  }
}

/** Characters rare in Japanese documents and typical of a wrong guess: half-width katakana, private use, controls. */
function unlikely(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0xff61 && c <= 0xff9f) || (c >= 0xe000 && c <= 0xf8ff) || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || (c >= 0x7f && c <= 0x9f)) n++;
  }
  return n;
}
