import { StringDecoder } from 'node:string_decoder';

/**
 * Server-Sent Events as the chat protocol uses them: bytes in, the `data` of each complete event out
 * (multi-line data joined with "\n"; comments, `event:`, `id:` and `retry:` lines carry nothing the
 * protocol needs). UTF-8 split across chunks is decoded whole. Lines end as the SSE specification
 * allows — CRLF, LF or a lone CR (a CR at the end of a chunk waits for the next one, which may start
 * with its LF) — and a byte order mark before the first line is dropped.
 */
export class SseParser {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private data: string[] = [];
  /** Characters in `data`. */
  private dataChars = 0;
  /** Nothing decoded yet (a byte order mark may come first). */
  private first = true;

  /** Characters held for an event not yet complete, its finished `data` lines included (to bound one event's size). */
  get pending(): number {
    return this.buffer.length + this.dataChars;
  }

  /** The events completed by `chunk`, appended to `out`. */
  push(chunk: Buffer, out: string[]): void {
    this.lines(this.buffer + this.text(this.decoder.write(chunk)), out, false);
  }

  /** At the end of the body: an event the body ended inside (no blank line after it) still counts; a partial line does not. */
  end(out: string[]): void {
    this.lines(this.buffer + this.text(this.decoder.end()), out, true);
    if (this.data.length) out.push(this.data.join('\n'));
    this.data = [];
    this.dataChars = 0;
    this.buffer = '';
  }

  private text(decoded: string): string {
    if (!this.first || !decoded) return decoded;
    this.first = false;
    return decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  }

  /** Every complete line of `text`; the rest is kept. `final`: the body has ended, so a CR at the very end is a line end. */
  private lines(text: string, out: string[], final: boolean): void {
    let start = 0;
    // Streams from OpenAI-compatible servers end lines with LF (sometimes CRLF): the CR search runs once and finds nothing.
    let cr = text.indexOf('\r');
    for (;;) {
      const lf = text.indexOf('\n', start);
      if (cr >= 0 && cr < start) cr = text.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        if (cr === text.length - 1 && !final) break; // its LF may open the next chunk
        end = cr;
        next = cr + 1 === lf ? lf + 1 : cr + 1;
      } else if (lf >= 0) {
        end = lf;
        next = lf + 1;
      } else break;
      this.line(text, start, end, out);
      start = next;
    }
    this.buffer = start ? text.slice(start) : text;
  }

  private line(text: string, start: number, end: number, out: string[]): void {
    if (end === start) {
      if (this.data.length) {
        out.push(this.data.length === 1 ? this.data[0]! : this.data.join('\n'));
        this.data = [];
        this.dataChars = 0;
      }
    } else if (text.startsWith('data', start) && (end === start + 4 || text.charCodeAt(start + 4) === 58)) {
      // "data: value", "data:value", or "data" alone (an empty value)
      const line = end === start + 4 ? '' : text.slice(start + (text.charCodeAt(start + 5) === 32 ? 6 : 5), end);
      this.data.push(line);
      this.dataChars += line.length + 1;
    }
  }
}
