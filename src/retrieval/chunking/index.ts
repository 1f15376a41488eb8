import type { ParsedDocument } from '../parsers/types.js';
import { chunkGeneral } from './general.js';
import { chunkStatute, looksLikeStatute } from './statute.js';
import type { Chunk, ChunkOptions } from './types.js';

export type { Chunk, ChunkOptions } from './types.js';

/** Choose the chunker for a parsed document: statute/規程 structure when present, else headings and paragraphs. */
export function chunkDocument(title: string, doc: ParsedDocument, options: ChunkOptions): Chunk[] {
  const lines = doc.blocks.flatMap((b) => (b.kind === 'heading' ? [b.text] : b.text.split('\n'))).map((l) => l.trim()).filter(Boolean);
  if (looksLikeStatute(lines)) {
    const body = doc.blocks[0]?.kind === 'heading' && doc.blocks[0].text === title ? lines.slice(1) : lines;
    return chunkStatute(title, body, options);
  }
  return chunkGeneral(title, doc.blocks, options);
}
