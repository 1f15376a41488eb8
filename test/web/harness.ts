/**
 * End-to-end harness for the web workspace: a real `hiraga serve` on 127.0.0.1 (temp data dir,
 * temp config with API keys for every role, a small ingested collection) and Debian's Chromium
 * driven by playwright-core. No mocks: the browser talks to the real gateway.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BIN, ROOT, runCli } from '../helpers/cli.js';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumExists = fs.existsSync(CHROMIUM);

export const KEYS = {
  staff: 'web-e2e-staff-key-0001',
  reviewer: 'web-e2e-reviewer-key-0002',
  admin: 'web-e2e-admin-key-0003',
  auditor: 'web-e2e-auditor-key-0004',
} as const;
export const TENANT = 'minato';
export const COLLECTION = 'reiki';

export interface Hiraga {
  url: string;
  dataDir: string;
  configFile: string;
  logs(): string;
  stop(): Promise<void>;
}

/** Build dist/web when it is missing or older than web/ (the same build `npm run build` runs). */
export function ensureWebBuilt(): void {
  const index = path.join(ROOT, 'dist', 'web', 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
      const p = path.join(dir, e.name);
      return Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
    }, 0);
  if (built && built >= newest(path.join(ROOT, 'web'))) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The test config: the offline extractive model cleared only for level 1, so personal data in a
 * question (level 2–3) is masked rather than sent; level 3 is masked too (instead of blocked) so
 * the masking is visible. Prompt injection sends the answer to review (the default).
 */
export function testConfig() {
  return {
    models: [{ id: 'extractive', provider: 'extractive', clearance: 1, origin: 'domestic', hosting: 'on-prem', label: '抽出型（オフライン）' }],
    defaultModel: 'extractive',
    guard: { policy: { '2': 'mask', '3': 'mask' } },
    // The extractive model costs nothing: a token budget shows the 利用状況 screen's meter.
    budgets: { tenants: { [TENANT]: { monthlyTokens: 1_000_000 } } },
    // A token limit far above what the tests use, shown on the 管理 screen.
    server: { tokenLimitPerTenant: 5_000_000 },
    auth: {
      apiKeys: [
        { key: KEYS.staff, user: 'staff1', role: 'staff', tenant: TENANT },
        { key: KEYS.reviewer, user: 'reviewer1', role: 'reviewer', tenant: TENANT },
        { key: KEYS.admin, user: 'admin1', role: 'admin', tenant: TENANT },
        { key: KEYS.auditor, user: 'auditor1', role: 'auditor', tenant: TENANT, expiresAt: '2999-12-31' },
      ],
    },
  };
}

export interface StartOptions {
  /** Change the test config before the server starts, knowing the URL it will listen on (e.g. add auth.oidc). */
  config?: (config: ReturnType<typeof testConfig>, url: string) => Record<string, unknown>;
  /** Ingest the sample collection (default true). */
  ingest?: boolean;
}

export async function startHiraga(opts: StartOptions = {}): Promise<Hiraga> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hiraga-web-e2e-'));
  const dataDir = path.join(dir, 'data');
  const configFile = path.join(dir, 'hiraga.config.json');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  fs.writeFileSync(configFile, JSON.stringify(opts.config ? opts.config(testConfig(), url) : testConfig(), null, 2));
  const common = ['--config', configFile, '--data-dir', dataDir];

  if (opts.ingest ?? true) {
    // A small collection: three statutes from samples/.
    const docs = path.join(dir, 'docs');
    fs.mkdirSync(docs);
    for (const f of ['行政手続法.txt', '公文書管理法.txt', '個人情報保護法.txt']) fs.copyFileSync(path.join(ROOT, 'samples', 'statutes', f), path.join(docs, f));
    const ingest = await runCli(['ingest', docs, '--collection', COLLECTION, '--tenant', TENANT, ...common]);
    if (ingest.code !== 0) throw new Error(`hiraga ingest failed (${ingest.code}): ${ingest.stderr}`);
  }

  let log = '';
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', String(port), ...common], {
    cwd: ROOT,
    env: { ...process.env, HIRAGA_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hiraga serve exited with ${child.exitCode}: ${log}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`hiraga serve did not answer /healthz within 90 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    dataDir,
    configFile,
    logs: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** playwright-core gives every launch a fresh temporary --user-data-dir (it refuses one in args). */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

export async function newPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** Log in through the login form (the contract hooks login-key / login-submit). */
export async function login(page: Page, url: string, key: string): Promise<void> {
  await page.goto(url + '/');
  await page.getByTestId('login-key').fill(key);
  await page.getByTestId('login-submit').click();
  await page.locator('nav.site-nav').waitFor();
}

/**
 * Where screenshots go: test-results/screenshots/ on every run (ignored by git), docs/screenshots/ when
 * HIRAGA_UPDATE_SCREENSHOTS=1 — so a test run never rewrites the documentation's images by accident.
 */
export const SCREENSHOTS = process.env.HIRAGA_UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs', 'screenshots') : path.join(ROOT, 'test-results', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
