import { z } from 'zod';

/** The longest collection name ingest creates (routes/collections.ts: at most 100 letters, digits, . _ -). */
export const MAX_COLLECTION_NAME = 100;

/**
 * A collection name as a request names one (search, ask, file_search's vector_store_ids, hiraga.collection):
 * not empty, at most 100 characters — characters, not UTF-16 units, as ingest counts them (the first test
 * bounds the second's work). Whether it exists for the caller's tenant is the route's 404.
 */
export const collectionName = () =>
  z
    .string()
    .min(1, 'コレクション名を指定してください / name the collection; GET /api/collections lists yours')
    .refine((s) => s.length <= 2 * MAX_COLLECTION_NAME && [...s].length <= MAX_COLLECTION_NAME, {
      message: `コレクション名は${MAX_COLLECTION_NAME}文字までです。GET /api/collections で名前を確認してください / a collection name is at most ${MAX_COLLECTION_NAME} characters; GET /api/collections lists yours`,
    });
