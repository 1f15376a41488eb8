/**
 * `eval run` when a model's calls fail: results.json and report.html are still written in the contract's shape,
 * each model with failed items gets one stderr line (how many, the first error, no secrets), and a model none
 * of whose items succeeded makes the run exit 1 — its 0 % was never measured.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';
import { closedPort } from '../helpers/ports.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const rows = [
  { id: 'q1', task: 'qa', input: '日本の首都はどこですか。', expected: { answer: '東京' } },
  { id: 'c1', task: 'choice', input: '信号で止まれの色は？', choices: ['赤', '青'], expected: { choice: 0 } },
];

let up: Upstream;
let dir: string;
let suite: string;
let config: string;
const run = (models: string, out: string) => runCli(['--config', config, '--data-dir', path.join(dir, 'data'), 'eval', 'run', suite, '--models', models, '--concurrency', '1', '--out', path.join(dir, out), '--no-pdf'], { env: { HIRAGA_REDIS_URL: '', HIRAGA_DATABASE_URL: '' } });

beforeAll(async () => {
  up = await startUpstream();
  dir = tempDir('hiraga-eval-failed-');
  suite = path.join(dir, 'suite.jsonl');
  fs.writeFileSync(suite, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  config = path.join(dir, 'hiraga.config.json');
  const dead = `http://user:pw-secret-77@127.0.0.1:${await closedPort()}/v1`;
  fs.writeFileSync(
    config,
    JSON.stringify({
      models: [
        { id: 'extractive', provider: 'extractive' },
        { id: 'dead', provider: 'openai-compatible', baseUrl: dead, model: 'm', apiKey: 'sk-test-secret-abcdef123', clearance: 3, retries: 0 },
        { id: 'up', provider: 'openai-compatible', baseUrl: up.url, model: 'upstream-model', clearance: 3, retries: 0 },
      ],
      defaultModel: 'extractive',
    }),
  );
});

afterAll(async () => up?.close());

describe('eval run with failing models', () => {
  it('a model whose every call failed: files written, one error line naming it and the cause, exit 1', async () => {
    const r = await run('extractive,dead', 'out-dead');
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^hiraga: error: model "dead": all 2 items failed — nothing was measured.*first error \(item q1\): .*connection refused/);
    expect(r.stderr).not.toContain('sk-test-secret-abcdef123');
    expect(r.stderr).not.toContain('pw-secret-77');
    expect(r.stdout).toMatch(/dead .*failed 2\/2 \(not measured\)/);

    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'out-dead', 'results.json'), 'utf8'));
    expect(Object.keys(doc.suite)).toEqual(expect.arrayContaining(['path', 'sha256', 'items']));
    expect(doc.models.map((m: { id: string }) => m.id)).toEqual(['extractive', 'dead']);
    const dead = doc.models[1];
    expect(Object.keys(dead)).toEqual(expect.arrayContaining(['id', 'metrics', 'items']));
    expect(dead.items).toHaveLength(2);
    expect(dead.failed).toBe(2);
    // Nothing measured is no accuracy, not 0 %.
    expect(dead.metrics.accuracy).toBeNull();
    expect(doc.models[0].metrics.accuracy).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out-dead', 'report.html'), 'utf8')).toContain('未測定');
  }, 60_000);

  it('some items failed, others succeeded: exit 0, one warning line with the count and the first error', async () => {
    up.script([{ status: 500 }, 'ok']);
    const r = await run('up', 'out-up');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^hiraga: warning: model "up": 1 of 2 items failed \(counted as wrong\); first error \(item q1\): model "up": .*500/);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'out-up', 'results.json'), 'utf8'));
    expect(doc.models[0].failed).toBe(1);
    expect(doc.models[0].metrics.accuracy).not.toBeNull();
  }, 60_000);

  it('no failure: no stderr line, exit 0', async () => {
    const r = await run('up', 'out-ok');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  }, 60_000);
});
