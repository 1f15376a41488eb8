/**
 * report.html as a committee reads it, opened in headless Chromium: the leaderboard's numbers are those of
 * results.json, and a model whose every item failed is shown as not measured everywhere — not as a 0 % point
 * on the charts, a 0 ms bar or 0 % per task. report.pdf is a PDF. Real CLI, SQLite, scripted local upstream.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';
import { closedPort } from '../helpers/ports.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const CHROMIUM = process.env.HIRAGA_CHROMIUM ?? '/usr/bin/chromium';

const rows = [
  { id: '質問1', task: 'qa', input: '日本の首都はどこですか。', expected: { answer: '東京' } },
  { id: '質問2', task: 'qa', input: '富士山の高さは何メートルですか。', expected: { answer: '3776', accept: ['3,776'] } },
  { id: '選択1', task: 'choice', input: '信号で止まれの色は？', choices: ['赤', '青'], expected: { choice: 0 } },
];

let up: Upstream;
let dir: string;

beforeAll(async () => {
  up = await startUpstream({ reply: (body) => (String(body.messages.at(-1).content).includes('首都') ? '東京です。' : '分かりません。') });
  dir = tempDir('hiraga-eval-report-');
});
afterAll(async () => {
  await up?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true }); // vitest's workers may not run tempDir's exit hook
});

describe.skipIf(!fs.existsSync(CHROMIUM))('eval report in Chromium', () => {
  it('numbers as in results.json; a model that measured nothing is marked so, and left out of the charts', async () => {
    const suite = path.join(dir, 'suite.jsonl');
    fs.writeFileSync(suite, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const config = path.join(dir, 'hiraga.config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        models: [
          { id: 'up', provider: 'openai-compatible', baseUrl: up.url, model: 'upstream-model', clearance: 3, retries: 0, priceInputPer1k: 1, priceOutputPer1k: 2, watts: 300 },
          { id: 'dead', provider: 'openai-compatible', baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, model: 'm', clearance: 3, retries: 0, watts: 300 },
        ],
        defaultModel: 'up',
      }),
    );
    const out = path.join(dir, 'out');
    const r = await runCli(['--config', config, '--data-dir', path.join(dir, 'data'), 'eval', 'run', suite, '--models', 'up,dead', '--concurrency', '1', '--out', out], {
      env: { HIRAGA_REDIS_URL: '', HIRAGA_DATABASE_URL: '', HIRAGA_CHROMIUM: CHROMIUM },
    });
    expect(r.code, r.stderr).toBe(1); // 'dead' measured nothing
    expect(fs.readFileSync(path.join(out, 'report.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    const upM = doc.models[0].metrics;
    expect(upM.accuracy).toBe(0.3333); // 質問1 only (分かりません for the others)

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.goto(`file://${path.join(out, 'report.html')}`);
      const board = await page.$$eval('table:first-of-type tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim())));
      const [upRow, deadRow] = board;
      expect(upRow![1]).toMatch(/^up/);
      // accuracy … bias as percentages with one decimal, then p50, p95, tokens/s, cost, energy.
      expect(upRow!.slice(3, 9)).toEqual(['33.3%', '—', '—', '—', '—', '—']);
      expect(upRow![9]).toBe(`${upM.latency_ms_p50 >= 100 ? upM.latency_ms_p50.toFixed(0) : upM.latency_ms_p50 >= 1 ? upM.latency_ms_p50.toFixed(2) : upM.latency_ms_p50.toPrecision(2)} ms`);
      expect(Number(upRow![12]!.replace(' 円', ''))).toBeCloseTo(upM.cost_jpy, 2);
      expect(deadRow![1]).toContain('未測定');
      expect(deadRow![0]).toBe('—');
      expect(deadRow!.slice(3)).toEqual(Array(11).fill('—'));
      // The charts plot only what was measured: one point per scatter chart, one latency bar label.
      const points = await page.$$eval('.charts circle title', (ts) => ts.map((t) => t.textContent));
      expect(points).toHaveLength(2);
      expect(points.every((t) => t!.startsWith('up:'))).toBe(true);
      expect(await page.$$eval('.charts svg text', (ts) => ts.some((t) => t.textContent === 'dead'))).toBe(false);
      expect(await page.locator('text=グラフに含めていないモデル').innerText()).toContain('dead');
      // Per task: not 0 %, but not measured.
      const perTask = await page.$$eval('h2 + table', (tables) => (tables[1] as HTMLElement).innerText);
      expect(perTask).toContain('未測定');
      // Japanese and the Unicode ids are in the page as text.
      expect(await page.locator('body').innerText()).toContain('質問2');
    } finally {
      await browser.close();
    }
  }, 120_000);
});
