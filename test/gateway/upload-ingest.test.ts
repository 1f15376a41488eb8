/**
 * POST /api/collections/{name}/ingest on a real gateway: what an upload's file names become, and that the
 * temporary folder an upload is written to (os.tmpdir()/hiraga-upload-*) never outlives the request or its
 * job — after a success, a refused upload, a file that fails to parse, or a body that cannot be read.
 *
 * TMPDIR points at a folder of this file's own (vitest runs each file in its own process), so the listing
 * sees this gateway's uploads only, not those of tests running beside it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { tempDir } from '../helpers/store.js';
import { minimalPdf } from '../helpers/documents.js';
import { call, KEYS, startTestGateway, testConfig } from './helpers.js';

let gw: RunningGateway;
const savedTmp = process.env.TMPDIR;
beforeAll(async () => {
  const config = testConfig({ models: [], defaultModel: 'extractive' });
  process.env.TMPDIR = tempDir('hiraga-tmpdir-');
  gw = await startTestGateway(config);
}, 60_000);
afterAll(async () => {
  await gw?.close();
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});

const uploadFolders = () => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('hiraga-upload-'));

type Upload = [name: string, content: string | Uint8Array];

async function upload(collection: string, files: Upload[], key: string = KEYS.staff) {
  const form = new FormData();
  for (const [name, content] of files) form.append('files', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
  const res = await fetch(`${gw.url}/api/collections/${encodeURIComponent(collection)}/ingest`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
  return { status: res.status, json: (await res.json()) as any };
}

/** The job once it is done or failed. */
async function finished(job: string, key: string = KEYS.staff) {
  for (let i = 0; i < 400; i++) {
    const view = (await call(gw, `/api/jobs/${job}`, { key })).json;
    if (view.state === 'done' || view.state === 'failed') return view;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${job} did not finish`);
}

async function ingested(collection: string, files: Upload[]) {
  const res = await upload(collection, files);
  expect(res.status, JSON.stringify(res.json)).toBe(202);
  return finished(res.json.job);
}

async function sources(collection: string, query: string): Promise<string[]> {
  const r = await call(gw, '/api/search', { key: KEYS.staff, body: { collection, query, k: 10 } });
  expect(r.status, r.text).toBe(200);
  return r.json.hits.map((h: { source: string }) => h.source);
}

describe('upload file names', () => {
  it('refuses ".", ".." and a name with nothing left with 400 naming the file — nothing written, nothing stored', async () => {
    for (const bad of ['..', '.', 'folder/', 'a\\..']) {
      const r = await upload('names', [['ok.txt', '有効な文書です。'], [bad, '住民票の写しの交付について']]);
      expect(r.status, bad).toBe(400);
      expect(r.json.error.code).toBe('invalid_file_name');
      expect(r.json.error.param).toBe('files');
      expect(r.json.error.message).toContain(`「${bad}」`);
      expect(r.json.error.message).toMatch(/ \/ the file name .* cannot be used: give the file a name/);
    }
    expect(uploadFolders()).toEqual([]);
    expect((await call(gw, '/api/collections', { key: KEYS.staff })).json.some((c: { name: string }) => c.name === 'names')).toBe(false);
  });

  it('keeps a name over 255 bytes readable: cut by whole characters to 255 bytes, extension kept, and unique', async () => {
    const long = `${'住民票の写しの交付申請書'.repeat(10)}.txt`; // 364 bytes
    const job = await ingested('long', [
      [long, '住民票の写しは、窓口で申請すると即日交付される。'],
      [`${'住民票の写しの交付申請書'.repeat(10)}（別紙）.txt`, '住民票の写しの交付手数料は三百円である。'],
      [`${'a'.repeat(300)}.${'b'.repeat(40)}`, '拡張子らしくない長い末尾を持つ名前。'],
    ]);
    expect(job.state).toBe('done');
    const found = await sources('long', '住民票の写し');
    expect(found).toHaveLength(2);
    for (const s of found) {
      expect(Buffer.byteLength(s)).toBeLessThanOrEqual(255);
      expect(s.startsWith('住民票の写しの交付申請書')).toBe(true);
      expect(s.endsWith('.txt')).toBe(true);
    }
    expect(new Set(found).size).toBe(2);
    // an "extension" of 41 bytes is part of the name: the file is reported (unsupported type), not a 500
    expect(job.report.failed).toEqual([{ source: expect.stringMatching(/^a{200,}/), error: expect.stringContaining('unsupported file type') }]);
    expect(Buffer.byteLength(job.report.failed[0].source)).toBeLessThanOrEqual(255);
    expect(uploadFolders()).toEqual([]);
  });

  it('keeps the base name only, with either separator', async () => {
    const job = await ingested('paths', [
      ['C:\\Users\\tanaka\\申請の手引き.txt', '転入届は十四日以内に提出する。'],
      ['../../etc/手引き.md', '# 手引き\n\n印鑑登録には本人確認書類が必要である。'],
    ]);
    expect(job.report.failed).toEqual([]);
    expect(await sources('paths', '転入届')).toEqual(['申請の手引き.txt']);
    expect(await sources('paths', '印鑑登録')).toEqual(['手引き.md']);
  });
});

describe('files whose names start with a dot', () => {
  it('are ingested, or reported under failed with the reason — never dropped', async () => {
    const job = await ingested('dots', [
      ['.notes.txt', '庁内メモ：会議室の鍵は総務課で貸し出す。'],
      ['.txt', '名前のないファイルの本文。'],
      ['visible.txt', '見えるファイル：公用車の鍵は管財課で貸し出す。'],
    ]);
    expect(job.state).toBe('done');
    expect(job.report.files).toBe(3);
    expect(job.report.added).toBe(2);
    expect(job.report.failed).toEqual([{ source: '.txt', error: expect.stringMatching(/拡張子だけ.* \/ the file name ".txt" is only an extension: give the file a name/) }]);
    expect(await sources('dots', '会議室の鍵')).toContain('.notes.txt');
    expect(uploadFolders()).toEqual([]);
  });

  it('a part of "files" without a file name is refused with 400, not dropped', async () => {
    const body = [
      '--xx\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\n本文\r\n',
      '--xx\r\nContent-Disposition: form-data; name="files"\r\n\r\n名前のない本文\r\n',
      '--xx--\r\n',
    ].join('');
    const r = await fetch(`${gw.url}/api/collections/nameless/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.staff}`, 'content-type': 'multipart/form-data; boundary=xx' },
      body,
    });
    expect(r.status).toBe(400);
    const json = (await r.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe('invalid_file_name');
    expect(json.error.message).toContain('has no file name');
    expect(uploadFolders()).toEqual([]);
  });
});

describe('text encodings', () => {
  it('a Shift_JIS upload is decoded and found; a file in no Japanese text encoding is reported, not stored as garbage', async () => {
    const fixtures = path.resolve(import.meta.dirname, '../fixtures/encodings');
    const job = await ingested('sjis', [
      ['粗大ごみ.txt', fs.readFileSync(path.join(fixtures, 'sjis.txt'))],
      ['公民館.html', fs.readFileSync(path.join(fixtures, 'sjis.html'))],
      ['latin1.txt', fs.readFileSync(path.join(fixtures, 'latin1.txt'))],
    ]);
    expect(job.report.added).toBe(2);
    expect(job.report.failed).toEqual([{ source: 'latin1.txt', error: expect.stringContaining('save it as UTF-8') }]);
    expect((await sources('sjis', '粗大ごみの収集日'))[0]).toBe('粗大ごみ.txt');
    expect((await sources('sjis', '公民館の会議室の予約'))[0]).toBe('公民館.html');
  });
});

describe('the temporary upload folder', () => {
  it('is gone once the job is done, after a success and after a file that fails to parse', async () => {
    expect(uploadFolders()).toEqual([]);
    const ok = await ingested('tmp-ok', [['規程.txt', '公用車の利用は前日までに予約する。']]);
    expect(ok.state).toBe('done');
    expect(uploadFolders()).toEqual([]);

    const broken = await ingested('tmp-broken', [
      ['broken.pdf', 'this is not a pdf at all'],
      ['good.pdf', minimalPdf(['The backup job runs every Sunday.'])],
    ]);
    expect(broken.state).toBe('done');
    expect(broken.report.failed.map((f: { source: string }) => f.source)).toEqual(['broken.pdf']);
    expect(uploadFolders()).toEqual([]);
  });

  it('is never made for a body that cannot be read or that holds no files', async () => {
    const cut = await fetch(`${gw.url}/api/collections/tmp-cut/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.staff}`, 'content-type': 'multipart/form-data; boundary=xx' },
      body: '--xx\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\n本文',
    });
    expect(cut.status).toBe(400);
    const none = new FormData();
    none.append('other', new Blob(['x']), 'x.txt');
    const empty = await fetch(`${gw.url}/api/collections/tmp-none/ingest`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.staff}` }, body: none });
    expect(empty.status).toBe(400);
    expect(uploadFolders()).toEqual([]);
  });
});
