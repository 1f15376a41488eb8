import { notFound } from '../core/errors.js';
import type { Store } from '../store/open.js';

export interface CollectionInfo {
  id: number;
  tenant: string;
  name: string;
  version: number;
  chunkCount: number;
  totalWords: number;
  totalBigrams: number;
  documents?: number;
}

const now = () => new Date().toISOString();

export async function findCollection(store: Store, tenant: string, name: string): Promise<CollectionInfo | null> {
  const row = await store.db.selectFrom('collections').selectAll().where('tenant', '=', tenant).where('name', '=', name).executeTakeFirst();
  return row ? toInfo(row) : null;
}

export async function getCollection(store: Store, tenant: string, name: string): Promise<CollectionInfo> {
  const c = await findCollection(store, tenant, name);
  if (!c) {
    const names = await listCollections(store, tenant);
    const list = names.map((n) => n.name).join(', ');
    const ja = names.length ? `あるのは ${list} です` : 'まだコレクションがありません。資料を取り込んで作ってください';
    const known = names.length ? `existing collections: ${list}` : 'there are no collections yet; create one with `hiraga ingest FILES --collection NAME`';
    throw notFound(`コレクション「${name}」はありません（${ja}）/ collection "${name}" not found for tenant "${tenant}" (${known})`);
  }
  return c;
}

export async function ensureCollection(store: Store, tenant: string, name: string): Promise<CollectionInfo> {
  await store.db
    .insertInto('collections')
    .values({ tenant, name, created_at: now(), version: 0, chunk_count: 0, total_words: 0, total_bigrams: 0 })
    .onConflict((oc) => oc.columns(['tenant', 'name']).doNothing())
    .execute();
  return getCollection(store, tenant, name);
}

export async function listCollections(store: Store, tenant?: string): Promise<CollectionInfo[]> {
  let q = store.db
    .selectFrom('collections')
    .leftJoin('documents', 'documents.collection_id', 'collections.id')
    .select((eb) => [
      'collections.id',
      'collections.tenant',
      'collections.name',
      'collections.version',
      'collections.chunk_count',
      'collections.total_words',
      'collections.total_bigrams',
      'collections.created_at',
      eb.fn.count<number>('documents.id').as('documents'),
    ])
    .groupBy(['collections.id', 'collections.tenant', 'collections.name', 'collections.version', 'collections.chunk_count', 'collections.total_words', 'collections.total_bigrams', 'collections.created_at'])
    .orderBy('collections.name');
  if (tenant) q = q.where('collections.tenant', '=', tenant);
  const rows = await q.execute();
  return rows.map((r) => ({ ...toInfo(r), documents: Number(r.documents) }));
}

function toInfo(r: { id: number; tenant: string; name: string; version: number; chunk_count: number; total_words: number; total_bigrams: number }): CollectionInfo {
  return {
    id: r.id,
    tenant: r.tenant,
    name: r.name,
    version: Number(r.version),
    chunkCount: Number(r.chunk_count),
    totalWords: Number(r.total_words),
    totalBigrams: Number(r.total_bigrams),
  };
}
