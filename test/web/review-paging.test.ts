/**
 * More held outputs than one page of GET /api/review, in the browser: the 確認待ち screen says that more follow
 * and loads them with a button, rather than stopping silently at the first page.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createReviewQueue } from '../../src/review/queue.js';
import { openStore } from '../../src/store/open.js';
import { chromiumExists, ensureWebBuilt, KEYS, launchChromium, login, newPage, startHiraga, TENANT, type Hiraga } from './harness.js';

const HELD = 130;

describe.skipIf(!chromiumExists)('the review screen pages through a long queue', () => {
  let hiraga: Hiraga;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    hiraga = await startHiraga({ ingest: false });
    // Held outputs written into the running server's database, as its own pipeline would hold them.
    const store = await openStore({ kind: 'sqlite', file: path.join(hiraga.dataDir, 'hiraga.sqlite') });
    try {
      // Holding an item writes no audit event (the held call's event is the server's); decisions go through the server.
      const queue = createReviewQueue(store, {
        append: () => Promise.reject(new Error('decisions are made through the server in this test')),
      });
      for (let i = 1; i <= HELD; i++) await queue.enqueue({ requester: { user: 'staff1', role: 'staff', tenant: TENANT }, reasons: ['copyright'], output: `保留中の回答 ${i}` });
    } finally {
      await store.close();
    }
    chrome = await launchChromium();
    browser = chrome.browser;
  }, 240_000);

  afterAll(async () => {
    await chrome?.close();
    await hiraga?.stop();
  });

  it('shows the oldest 100 with a notice that more follow, and the rest after 「続きを表示」', async () => {
    const page = await newPage(browser);
    await login(page, hiraga.url, KEYS.reviewer);
    await page.getByRole('link', { name: '確認待ち', exact: true }).first().click();
    const items = page.getByTestId('review-item');
    await items.first().waitFor();
    await expect.poll(() => items.count()).toBe(100);
    const more = page.getByTestId('review-more');
    expect(await more.textContent()).toContain('古い順に100件を表示しています。まだ続きがあります。');

    await more.getByRole('button', { name: '続きを表示' }).click();
    await expect.poll(() => items.count()).toBe(HELD);
    expect(await more.count()).toBe(0);
    expect(await items.last().textContent()).toContain(`保留中の回答 ${HELD}`);

    // Deciding an item of the second page keeps the page in place.
    const last = items.last();
    await last.getByLabel('判断の理由').fill('確認しました');
    await last.getByRole('button', { name: '承認する' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: '承認済み' }).count()).toBeGreaterThan(0);
    await expect.poll(() => items.count()).toBe(HELD);
    await page.context().close();
  });
});
