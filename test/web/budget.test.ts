/**
 * A tenant whose monthly budget is spent, in the browser: the chat says so (not "the server is busy"), and
 * 利用状況 shows the spent budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumExists, ensureWebBuilt, KEYS, launchChromium, login, newPage, startHiraga, TENANT, type Hiraga } from './harness.js';

describe.skipIf(!chromiumExists)('a spent budget in the web workspace', () => {
  let hiraga: Hiraga;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    // A limit of zero tokens: the month's budget is spent from the start.
    hiraga = await startHiraga({ ingest: false, config: (config) => ({ ...config, budgets: { tenants: { [TENANT]: { monthlyTokens: 0 } } } }) });
    chrome = await launchChromium();
    browser = chrome.browser;
  }, 240_000);

  afterAll(async () => {
    await chrome?.close();
    await hiraga?.stop();
  });

  it('tells staff in the chat that the organisation has reached its budget', async () => {
    const page = await newPage(browser);
    await login(page, hiraga.url, KEYS.staff);
    await page.getByRole('link', { name: 'チャット', exact: true }).first().click();
    await page.getByTestId('chat-input').fill('予算のテストです');
    await page.getByTestId('chat-send').click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toContain('この組織は今月の予算に達しました');
    expect(await alert.textContent()).not.toContain('利用が集中しています');
    await page.context().close();
  });

  it('shows the spent budget on 利用状況', async () => {
    const page = await newPage(browser);
    await login(page, hiraga.url, KEYS.admin);
    await page.getByRole('link', { name: '利用状況', exact: true }).first().click();
    const budget = page.getByTestId('budget');
    await budget.waitFor();
    await expect.poll(() => budget.getByRole('alert').textContent()).toContain('予算に達したため');
    await page.context().close();
  });
});
