import type { Transaction } from 'kysely';
import type { Database } from '../store/database.js';
import type { Store } from '../store/open.js';
import type { Analyzer } from './analysis/analyzer.js';
import type { Chunk } from './chunking/index.js';
import { decodePostings, encodePostings, mergePostings } from './postings.js';
import { chunkTerms, fieldLength } from './terms.js';

export interface PendingDocument {
  source: string;
  title: string;
  contentHash: string;
  bytes: number;
  chunks: Chunk[];
  /** Dense-leg vectors, one per chunk, when configured. */
  /** One per chunk; null for a chunk without a vector (the guard kept it from the embedding endpoint). */
  embeddings?: Array<number[] | null>;
}

interface DocumentTermsSummary {
  t: string[];
  w: number;
  b: number;
  c: number;
}

const SQL_BATCH = 400;
const now = () => new Date().toISOString();

/**
 * Writes documents into a collection's inverted index in batches: one transaction per batch,
 * each postings row read and rewritten once per batch (not once per document).
 */
export class IndexWriter {
  private pending: PendingDocument[] = [];
  private pendingChars = 0;
  /** Sources to take out of the collection at the next flush (their chunks, postings and counts). */
  private removals: string[] = [];

  constructor(
    private readonly store: Store,
    private readonly analyzer: Analyzer,
    private readonly collectionId: number,
    private readonly maxBatchChars = 4_000_000,
  ) {}

  /** Queue a document; flushes automatically when the batch is large. */
  async add(doc: PendingDocument): Promise<void> {
    this.pending.push(doc);
    this.pendingChars += doc.chunks.reduce((n, c) => n + c.text.length, 0);
    if (this.pendingChars >= this.maxBatchChars) await this.flush();
  }

  /** Queue a document's removal (a file no longer in the folder the collection mirrors); done at the next flush. */
  remove(source: string): void {
    this.removals.push(source);
  }

  async flush(): Promise<void> {
    if (!this.pending.length && !this.removals.length) return;
    const batch = this.pending;
    const removals = this.removals;
    this.pending = [];
    this.removals = [];
    this.pendingChars = 0;
    // Analysis is CPU work: do it before the transaction opens.
    const analysed = batch.map((doc) => ({ doc, terms: doc.chunks.map((c) => chunkTerms(this.analyzer, doc.title, c)) }));
    await this.store.db.transaction().execute((trx) => this.write(trx, analysed, removals));
  }

  private async write(trx: Transaction<Database>, batch: { doc: PendingDocument; terms: ReturnType<typeof chunkTerms>[] }[], removals: string[] = []): Promise<void> {
    const cid = this.collectionId;
    // Lock the collection row first so concurrent writers (several processes on PostgreSQL) serialise.
    await trx.updateTable('collections').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', cid).execute();

    const dropChunkIds = new Set<number>();
    const touched = new Set<string>();
    let dChunks = 0;
    let dWords = 0;
    let dBigrams = 0;
    const additions = new Map<string, number[]>();

    // A document replaced or removed: its chunks go, its terms' postings are rewritten without them.
    const drop = async (source: string) => {
      const old = await trx.selectFrom('documents').select(['id', 'terms']).where('collection_id', '=', cid).where('source', '=', source).executeTakeFirst();
      if (!old) return;
      const summary = JSON.parse(old.terms) as DocumentTermsSummary;
      const ids = await trx.selectFrom('chunks').select('id').where('document_id', '=', old.id).execute();
      for (const r of ids) dropChunkIds.add(r.id);
      for (const t of summary.t) touched.add(t);
      dChunks -= summary.c;
      dWords -= summary.w;
      dBigrams -= summary.b;
      await trx.deleteFrom('chunks').where('document_id', '=', old.id).execute();
      await trx.deleteFrom('documents').where('id', '=', old.id).execute();
    };
    for (const source of removals) await drop(source);

    for (const { doc, terms } of batch) {
      await drop(doc.source);
      const docTerms = new Set<string>();
      let words = 0;
      let bigrams = 0;
      for (const ct of terms) {
        for (const t of ct.tf.keys()) docTerms.add(t);
        words += ct.words;
        bigrams += ct.bigrams;
      }
      const summary: DocumentTermsSummary = { t: [...docTerms], w: words, b: bigrams, c: doc.chunks.length };
      const inserted = await trx
        .insertInto('documents')
        .values({ collection_id: cid, source: doc.source, title: doc.title, content_hash: doc.contentHash, bytes: doc.bytes, terms: JSON.stringify(summary), created_at: now(), updated_at: now() })
        .returning('id')
        .executeTakeFirstOrThrow();
      const chunkIds: number[] = [];
      for (let i = 0; i < doc.chunks.length; i += SQL_BATCH) {
        const rows = doc.chunks.slice(i, i + SQL_BATCH).map((c, k) => ({
          document_id: inserted.id,
          collection_id: cid,
          ordinal: i + k,
          heading: c.heading,
          text: c.text,
          embedding: doc.embeddings?.[i + k] ? JSON.stringify(doc.embeddings[i + k]) : null,
        }));
        const ids = await trx.insertInto('chunks').values(rows).returning('id').execute();
        for (const r of ids) chunkIds.push(r.id);
      }
      terms.forEach((ct, k) => {
        const chunkId = chunkIds[k]!;
        for (const [term, tf] of ct.tf) {
          let list = additions.get(term);
          if (!list) additions.set(term, (list = []));
          list.push(chunkId, tf, fieldLength(term, ct));
        }
      });
      for (const t of docTerms) touched.add(t);
      dChunks += doc.chunks.length;
      dWords += words;
      dBigrams += bigrams;
    }

    const allTerms = [...touched];
    for (let i = 0; i < allTerms.length; i += SQL_BATCH) {
      const slice = allTerms.slice(i, i + SQL_BATCH);
      const existing = new Map<string, Int32Array>();
      const rows = await trx.selectFrom('postings').select(['term', 'data']).where('collection_id', '=', cid).where('term', 'in', slice).execute();
      for (const r of rows) existing.set(r.term, decodePostings(r.data));
      const upserts: { collection_id: number; term: string; data: Uint8Array }[] = [];
      const deletes: string[] = [];
      for (const term of slice) {
        const merged = mergePostings(existing.get(term) ?? null, dropChunkIds, additions.get(term) ?? []);
        if (merged.length === 0) {
          if (existing.has(term)) deletes.push(term);
        } else {
          upserts.push({ collection_id: cid, term, data: encodePostings(merged) });
        }
      }
      for (let j = 0; j < upserts.length; j += 200) {
        await trx
          .insertInto('postings')
          .values(upserts.slice(j, j + 200))
          .onConflict((oc) => oc.columns(['collection_id', 'term']).doUpdateSet((eb) => ({ data: eb.ref('excluded.data') })))
          .execute();
      }
      if (deletes.length) await trx.deleteFrom('postings').where('collection_id', '=', cid).where('term', 'in', deletes).execute();
    }

    await trx
      .updateTable('collections')
      .set((eb) => ({
        chunk_count: eb('chunk_count', '+', dChunks),
        total_words: eb('total_words', '+', dWords),
        total_bigrams: eb('total_bigrams', '+', dBigrams),
      }))
      .where('id', '=', cid)
      .execute();
  }
}
