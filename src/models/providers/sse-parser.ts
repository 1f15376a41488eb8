import { StringDecoder } from 'node:string_decoder';

/**
 * Server-Sent Events as the chat protocol uses them: bytes in, the `data` of each complete event out
 * (multi-line data joined with "\n"; comments, `event:`, `id:` and `retry:` lines carry nothing the
 * protocol needs). UTF-8 split across chunks is decoded whole.
 */
export class SseParser {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private data: string[] = [];
  /** Characters in `data`. */
  private dataChars = 0;

  /** Characters held for an event not yet complete, its finished `data` lines included (to bound one event's size). */
  get pending(): number {
    return this.buffer.length + this.dataChars;
  }

  /** The events completed by `chunk`, appended to `out`. */
  push(chunk: Buffer, out: string[]): void {
    this.lines(this.buffer + this.decoder.write(chunk), out);
  }

  /** At the end of the body: an event the body ended inside (no blank line after it) still counts; a partial line does not. */
  end(out: string[]): void {
    this.lines(this.buffer + this.decoder.end(), out);
    if (this.data.length) out.push(this.data.join('\n'));
    this.data = [];
    this.dataChars = 0;
    this.buffer = '';
  }

  private lines(text: string, out: string[]): void {
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      let end = nl;
      if (end > start && text.charCodeAt(end - 1) === 13) end--; // \r\n
      if (end === start) {
        if (this.data.length) {
          out.push(this.data.length === 1 ? this.data[0]! : this.data.join('\n'));
          this.data = [];
          this.dataChars = 0;
        }
      } else if (text.startsWith('data:', start)) {
        const line = text.slice(start + (text.charCodeAt(start + 5) === 32 ? 6 : 5), end);
        this.data.push(line);
        this.dataChars += line.length + 1;
      }
      start = nl + 1;
    }
    this.buffer = start ? text.slice(start) : text;
  }
}
