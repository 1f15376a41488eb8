import { z } from 'zod';

export const serverSchema = z
  .strictObject({
    port: z.number().int().min(0).max(65535).default(8080),
    host: z.string().default('127.0.0.1'),
    /** Request body limit in bytes. */
    maxBodyBytes: z.number().int().positive().default(1024 * 1024),
    maxMessages: z.number().int().positive().default(200),
    maxMessageChars: z.number().int().positive().default(100_000),
    /** Requests per minute per API key and per tenant. */
    rateLimitPerKey: z.number().int().positive().default(600),
    rateLimitPerTenant: z.number().int().positive().default(6000),
    /**
     * Tokens (prompt + completion, as the usage records count them) per window per user and per tenant, over
     * the calls that use a model (chat, responses, embeddings, 資料QA, apps). Absent: no token limit. A call is
     * refused once the window's spend has reached the limit; calls already admitted finish, so a window can
     * end a little over it.
     */
    tokenLimitPerUser: z.number().int().positive().optional(),
    tokenLimitPerTenant: z.number().int().positive().optional(),
    /** Length of the rate-limit window in milliseconds (the limits above count per window). */
    rateLimitWindowMs: z.number().int().positive().default(60_000),
    /** Upload limit for POST /api/collections/:name/ingest, in bytes. */
    maxUploadBytes: z.number().int().positive().default(200 * 1024 * 1024),
    requestTimeoutMs: z.number().int().positive().default(120_000),
    shutdownGraceMs: z.number().int().positive().default(10_000),
  })
  .prefault({});
