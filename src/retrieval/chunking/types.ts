export interface Chunk {
  /** Heading path, e.g. "行政手続法 > 第二章 申請に対する処分 > 第五条（審査基準）". */
  heading: string;
  text: string;
  /** Article reference index terms (r:5, r:5:2), for statute-aware search. */
  refs: string[];
}

export interface ChunkOptions {
  /** Target chunk length in characters. */
  chunkChars: number;
}

export const HEADING_SEPARATOR = ' > ';
