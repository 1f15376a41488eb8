import type { Block } from '../parsers/types.js';
import { packSentences, splitSentences } from './sentences.js';
import { HEADING_SEPARATOR, type Chunk, type ChunkOptions } from './types.js';

/**
 * Structure-aware chunking for manuals and notices: a chunk never crosses a heading, packs whole
 * paragraphs and list items up to the target size, and splits an over-long paragraph only between sentences.
 */
export function chunkGeneral(title: string, blocks: Block[], { chunkChars }: ChunkOptions): Chunk[] {
  const chunks: Chunk[] = [];
  const path: { level: number; text: string }[] = [];
  let parts: string[] = [];
  let size = 0;
  const heading = () => [title, ...path.map((p) => p.text)].filter(Boolean).join(HEADING_SEPARATOR);
  const flush = () => {
    if (parts.length) chunks.push({ heading: heading(), text: parts.join('\n'), refs: [] });
    parts = [];
    size = 0;
  };
  for (const block of blocks) {
    if (block.kind === 'heading') {
      flush();
      if (block.level === 1 && block.text === title && path.length === 0) continue;
      while (path.length && path[path.length - 1]!.level >= block.level) path.pop();
      path.push({ level: block.level, text: block.text });
      continue;
    }
    const text = block.kind === 'list' ? `・${block.text}` : block.text;
    if (text.length > chunkChars) {
      flush();
      for (const piece of packSentences(splitSentences(text), chunkChars)) {
        chunks.push({ heading: heading(), text: piece, refs: [] });
      }
      continue;
    }
    if (size + text.length > chunkChars) flush();
    parts.push(text);
    size += text.length + 1;
  }
  flush();
  return chunks;
}
