import type { ParsedDocument } from '../parsers/types.js';
import { chunkGeneral } from './general.js';
import { chunkStatute, looksLikeStatute, statuteTitle } from './statute.js';
import type { Chunk, ChunkOptions } from './types.js';

export type { Chunk, ChunkOptions } from './types.js';

/** The non-empty lines of a parsed document, as the chunkers see them. */
function documentLines(doc: ParsedDocument): string[] {
  return doc.blocks.flatMap((b) => (b.kind === 'heading' ? [b.text] : b.text.split('\n'))).map((l) => l.trim()).filter(Boolean);
}

/** A title for a document whose format gave none: a statute's own first line (行政手続法 above 平成五年法律第八十八号). */
export function inferTitle(doc: ParsedDocument): string | undefined {
  return doc.title === undefined ? statuteTitle(documentLines(doc)) : undefined;
}

/** Choose the chunker for a parsed document: statute/規程 structure when present, else headings and paragraphs. */
export function chunkDocument(title: string, doc: ParsedDocument, options: ChunkOptions): Chunk[] {
  const lines = documentLines(doc);
  if (looksLikeStatute(lines)) {
    const body = doc.blocks[0]?.kind === 'heading' && doc.blocks[0].text === title ? lines.slice(1) : lines;
    return chunkStatute(title, body, options);
  }
  return chunkGeneral(title, doc.blocks, options);
}
