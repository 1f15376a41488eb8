import crypto from 'node:crypto';

/**
 * Vitest global setup: every PostgreSQL test schema of this run is named t_<run>_<random>; at the end of the
 * run they are all dropped at once (dropping while other files migrate would race with Kysely's introspection).
 */
export async function setup(): Promise<void> {
  process.env.HIRAGA_TEST_RUN ??= crypto.randomBytes(4).toString('hex');
  // The suite runs on real PostgreSQL and Redis: the local ones (as .ci/run starts them) unless told otherwise.
  // Set before the workers start, so every test file sees the same.
  process.env.HIRAGA_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  process.env.HIRAGA_TEST_REDIS_URL ??= 'redis://127.0.0.1:6379';
}

export async function teardown(): Promise<void> {
  const url = process.env.HIRAGA_TEST_DATABASE_URL;
  const run = process.env.HIRAGA_TEST_RUN;
  if (!url || !run) return;
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`t\\_${run}\\_%`]);
    for (const r of rows) await client.query(`DROP SCHEMA IF EXISTS "${r.nspname}" CASCADE`);
  } catch (err) {
    process.stderr.write(`test teardown: could not drop PostgreSQL test schemas: ${(err as Error).message}\n`);
  } finally {
    await client.end().catch(() => {});
  }
}
