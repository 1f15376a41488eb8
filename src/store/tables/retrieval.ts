import type { Generated } from 'kysely';

export interface CollectionsTable {
  id: Generated<number>;
  tenant: string;
  name: string;
  created_at: string;
  /** Bumped on every change, so caches know when to refresh. */
  version: number;
  chunk_count: number;
  /** Sum of word-token counts over all chunks (BM25 average length). */
  total_words: number;
  /** Sum of bigram counts over all chunks. */
  total_bigrams: number;
}

export interface DocumentsTable {
  id: Generated<number>;
  collection_id: number;
  /** Path relative to the folder given at ingest (or the file name). */
  source: string;
  title: string;
  content_hash: string;
  bytes: number;
  /** JSON array of the index terms this document contributed (to remove them on re-ingest). */
  terms: string;
  created_at: string;
  updated_at: string;
}

export interface ChunksTable {
  id: Generated<number>;
  document_id: number;
  collection_id: number;
  ordinal: number;
  heading: string;
  text: string;
  /** Dense-leg embedding as JSON array, when configured. */
  embedding: string | null;
}

export interface PostingsTable {
  collection_id: number;
  term: string;
  /** Packed little-endian Int32 triples: chunk id, term frequency, field length. */
  data: Uint8Array;
}

export interface RetrievalTables {
  collections: CollectionsTable;
  documents: DocumentsTable;
  chunks: ChunksTable;
  postings: PostingsTable;
}
