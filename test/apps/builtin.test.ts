import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppService } from '../../src/apps/service.js';
import { appServiceFrom } from '../../src/apps/wiring.js';
import { loadConfig } from '../../src/config/load.js';
import { HiragaError } from '../../src/core/errors.js';
import type { Actor } from '../../src/core/types.js';
import { composeServices } from '../../src/gateway/compose.js';
import type { GatewayServices } from '../../src/gateway/services.js';
import { runIngest } from '../../src/retrieval/service.js';
import { openStore } from '../../src/store/open.js';
import { tempDir } from '../helpers/store.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/retrieval');
const actor: Actor = { user: 'staff1', role: 'staff', tenant: 'minato' };

let up: Upstream;
let services: GatewayServices;
let apps: AppService;

beforeAll(async () => {
  up = await startUpstream();
  const dataDir = tempDir();
  const config = loadConfig({
    env: {},
    dataDir,
    overrides: {
      models: [
        { id: 'extractive', provider: 'extractive' },
        { id: 'up', provider: 'openai-compatible', baseUrl: up.url, model: 'upstream-model', origin: 'domestic', hosting: 'on-prem', clearance: 3, retries: 0 },
      ],
      defaultModel: 'extractive',
      dateStyle: 'wareki',
    },
  });
  const store = await openStore(config.store);
  await runIngest(config, store, [path.join(FIXTURES, 'sample-kitei.txt')], { collection: 'laws', tenant: 'minato' });
  await runIngest(config, store, [path.join(FIXTURES, 'manual.md')], { collection: 'manual', tenant: 'minato' });
  services = await composeServices(config, { store });
  apps = appServiceFrom(services);
});

afterAll(async () => {
  await services?.close();
  await services?.store.close();
  await up?.close();
});

describe('built-in apps through the governed pipeline', () => {
  it('lists the seven built-in apps', async () => {
    const list = await apps.list(actor);
    expect(list.filter((a) => a.builtin).map((a) => a.id)).toEqual(['chat', 'qa', 'drafting', 'summarise', 'proofread', 'translate', 'statute']);
  });

  it('チャット: the upstream answers through the pipeline; the extractive model says it cannot chat', async () => {
    const r = await apps.run(actor, 'chat', { message: '窓口の受付時間を教えてください' }, { model: 'up' });
    expect(r.output).toBe('echo: 窓口の受付時間を教えてください');
    expect(r.model).toBe('up');
    expect(r.governance?.auditIds.length).toBe(1);
    expect(r.auditId).toBe(r.governance!.auditIds[0]);
    const e = await apps.run(actor, 'chat', { message: 'こんにちは' });
    expect(e.model).toBe('extractive');
    expect(e.output).toMatch(/生成AI（LLM）ではありません/);
  });

  it('資料QA: answers with citations from the collection, or abstains', async () => {
    const r = await apps.run(actor, 'qa', { question: '住民票の写しの交付手数料はいくらですか', collection: 'manual' });
    expect(r.abstained).toBe(false);
    expect(r.output).toContain('三百円');
    expect(r.citations?.[0]?.source).toBe('manual.md');
    const none = await apps.run(actor, 'qa', { question: '下水道の使用料の減免制度はありますか', collection: 'manual' });
    expect(none.abstained).toBe(true);
    expect(none.citations).toEqual([]);
  });

  it('資料QA stays in the actor’s tenant', async () => {
    await expect(apps.run({ ...actor, tenant: 'other' }, 'qa', { question: '手数料', collection: 'manual' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('文書作成: a 通知文 with 記書き, 和暦 and .docx, deterministic on the extractive model', async () => {
    const fixed = new AppService({ ...depsOf(), now: () => new Date(2024, 3, 1) });
    const r = await fixed.run(actor, 'drafting', {
      kind: '通知文',
      title: '窓口の受付時間の変更',
      to: '区民各位',
      from: '港区区民課長',
      body: '区民課の窓口の受付時間を変更します。',
      items: '変更日 令和6年5月1日\n受付時間 午前8時30分から午後5時まで',
      contact: '区民課 03-0000-0000',
    });
    expect(r.model).toBeNull();
    const lines = r.output.split('\n').map((l) => l.trim());
    expect(lines).toContain('令和6年4月1日');
    expect(lines).toContain('区民各位');
    expect(lines).toContain('窓口の受付時間の変更について（通知）');
    expect(lines).toContain('記');
    expect(lines).toContain('1　変更日 令和6年5月1日');
    expect(lines).toContain('以上');
    expect(r.output).not.toContain('拝啓');
    expect(Buffer.from(r.docx!).subarray(0, 2).toString()).toBe('PK');
    const { default: mammoth } = await import('mammoth');
    const text = (await mammoth.extractRawText({ buffer: Buffer.from(r.docx!) })).value;
    expect(text).toContain('窓口の受付時間の変更について（通知）');
    expect(r.auditId).toBeGreaterThan(0);
  });

  // QA pass: a clerk types the whole 件名; the templates added their own ending again.
  it('文書作成: a subject typed with its ending does not get it twice', async () => {
    const subjects: [string, string, string][] = [
      ['依頼文', '調査への協力について（依頼）', '調査への協力について（依頼）'],
      ['通知文', '手数料の改定について(通知)', '手数料の改定について（通知）'],
      ['回答文', '照会事項について（回答）', '照会事項について（回答）'],
      ['お知らせ', '図書館休館のお知らせ', '図書館休館のお知らせ'],
      ['お知らせ', '図書館休館について', '図書館休館のお知らせ'],
      ['議事録', '第3回子育て支援会議議事録', '第3回子育て支援会議　議事録'],
      ['起案文の要旨', '備品の購入について（起案）', '備品の購入（起案）'],
    ];
    for (const [kind, title, expected] of subjects) {
      const r = await apps.run(actor, 'drafting', { kind, title, body: '本文です。' });
      expect(r.data?.title, `${kind}: ${title}`).toBe(expected);
      expect(r.output.split('\n').map((l) => l.trim())).toContain(kind === '起案文の要旨' ? `件名　${expected.replace('（起案）', '')}について` : expected);
    }
  });

  // QA pass: an item starting with a number lost it — 「3月31日までに提出」 became 「1　月31日までに提出」.
  it('文書作成: 記書き items keep numbers that are content, drop only item marks', async () => {
    const items = '3月31日までに提出\n10時から説明会\n1.5倍に増額\n1. 対象者\n２　期間\n(3) 場所\n・持ち物';
    const r = await apps.run(actor, 'drafting', { kind: '通知文', title: '説明会の開催', body: '説明会を開催します。', items });
    const lines = r.output.split('\n').map((l) => l.trim());
    for (const l of ['1　3月31日までに提出', '2　10時から説明会', '3　1.5倍に増額', '4　対象者', '5　期間', '6　場所', '7　持ち物']) expect(lines).toContain(l);
  });

  // QA pass: a body over the proofreader's limit failed the draft with the proofreader's error.
  it('文書作成: a body too long to proofread is drafted, not refused', async () => {
    const body = '図書館の資料を整理します。'.repeat(16_000);
    const r = await apps.run(actor, 'drafting', { kind: 'お知らせ', title: '休館', body });
    expect(r.output).toContain(body.slice(0, 1000));
    expect(r.data?.proofreading).toEqual([]);
    expect(r.data?.proofreadingSkipped).toMatch(/^校正していません（200,000 文字を超えています）/);
    expect(Buffer.from(r.docx!).subarray(0, 2).toString()).toBe('PK');
  });

  it('文書作成: 依頼文 has 頭語・結語; 西暦 when configured; polishing needs a generative model', async () => {
    const seireki = new AppService({ ...depsOf(), dateStyle: 'seireki', now: () => new Date(2024, 3, 1) });
    const r = await seireki.run(actor, 'drafting', { kind: '依頼文', title: '調査への協力', body: '標記の調査に御協力をお願いします。' });
    expect(r.output).toMatch(/^\s*2024年4月1日/m);
    expect(r.output).toContain('拝啓');
    expect(r.output.trimEnd().endsWith('敬具')).toBe(true);
    await expect(apps.run(actor, 'drafting', { kind: '依頼文', title: 'x', body: 'y', polish: 'yes' })).rejects.toMatchObject({ code: 'bad_input', reason: 'model_not_generative' });
    up.script({ content: '清書した本文です。' });
    const polished = await apps.run(actor, 'drafting', { kind: 'お知らせ', title: '休館', body: '図書館を休館します。', polish: 'yes' }, { model: 'up' });
    expect(polished.output).toBe('清書した本文です。');
    expect(polished.model).toBe('up');
  });

  it('要約: splits a long text, selects sentences per part and cites the parts', async () => {
    const part = (topic: string, n: number) =>
      Array.from({ length: 12 }, (_, i) => `${topic}について第${i + 1}の説明をします。${topic}の手続は${n}課が担当し、${topic}の申請期限は毎年度末です。`).join('');
    const text = `${part('住民税', 1)}\n\n${part('国民健康保険', 2)}\n\n${part('児童手当', 3)}`;
    const r = await apps.run(actor, 'summarise', { text, length: 'short' });
    expect(r.model).toBeNull();
    const parts = new Set(r.citations!.map((c) => c.chunk));
    expect(parts.size).toBeGreaterThanOrEqual(2);
    for (const c of r.citations!) expect(text).toContain(c.quote);
    expect(r.output).toMatch(/［部分\d］/);
  });

  // QA pass: one sentence per part made a long document's summary as long as a part count — 金融商品取引法
  // (864,000 characters, 576 parts) gave 136,000 characters at length medium.
  it('要約: a long document gets at most the length’s sentences, all verbatim', async () => {
    const topics = Array.from({ length: 30 }, (_, i) => `第${i + 1}の事業`);
    const text = topics
      .map((t, i) => Array.from({ length: 14 }, (_, j) => `${t}について第${j + 1}の説明をします。${t}の予算は${i + 1}億円で、担当は${i + 1}課です。`).join(''))
      .join('\n\n');
    for (const [length, max] of [['short', 3], ['medium', 6], ['long', 12]] as const) {
      const r = await apps.run(actor, 'summarise', { text, length });
      expect(r.data?.parts).toBeGreaterThan(12);
      expect(r.citations!.length, length).toBeLessThanOrEqual(max);
      expect(r.citations!.length).toBeGreaterThan(0);
      for (const c of r.citations!) expect(text).toContain(c.quote);
    }
  });

  it('公用文校正: findings and corrected text without a model', async () => {
    const r = await apps.run(actor, 'proofread', { text: '申請する事が出来ます。' });
    expect(r.output).toBe('申請することができます。');
    expect((r.data!.issues as { rule: string }[]).map((i) => i.rule)).toEqual(['keishiki-meishi', 'dekiru']);
  });

  it('翻訳: refuses the extractive model; with a generative model enforces the glossary and reports violations', async () => {
    await expect(apps.run(actor, 'translate', { text: '住民票を取得する。' })).rejects.toMatchObject({ code: 'bad_input', reason: 'model_not_generative' });
    up.script([{ content: 'Get a resident card.' }, { content: 'Get a resident card.' }]);
    const bad = await apps.run(actor, 'translate', { text: '住民票を取得する。' }, { model: 'up' });
    expect(bad.data!.retried).toBe(true);
    expect(bad.data!.violations).toEqual([{ ja: '住民票', en: 'certificate of residence' }]);
    up.script([{ content: 'Get a resident card.' }, { content: 'Obtain a certificate of residence.' }]);
    const fixed = await apps.run(actor, 'translate', { text: '住民票を取得する。' }, { model: 'up' });
    expect(fixed.output).toBe('Obtain a certificate of residence.');
    expect(fixed.data!.violations).toEqual([]);
    const sent = up.requests.at(-2)!.body.messages[0].content as string;
    expect(sent).toContain('住民票 → certificate of residence');
  });

  // QA pass: an extra glossary typed with a Japanese keyboard (住民票＝…) was silently dropped — the model never saw it.
  it('翻訳: extra glossary lines with a full-width ＝ are used; lines that do not parse are reported', async () => {
    up.script([{ content: 'Apply for a resident record copy at the counter.' }]);
    const r = await apps.run(
      actor,
      'translate',
      { text: '窓口で住民票の写しを申請してください。', glossary: '住民票の写し＝resident record copy\n窓口　＝　counter\nこれは用語ではありません' },
      { model: 'up' },
    );
    expect(r.data!.glossary).toEqual([
      { ja: '住民票の写し', en: 'resident record copy' },
      { ja: '窓口', en: 'counter' },
    ]);
    expect(r.data!.violations).toEqual([]);
    expect(r.data!.glossaryIgnored).toEqual(['これは用語ではありません']);
    expect(up.requests.at(-1)!.body.messages[0].content as string).toContain('住民票の写し → resident record copy');
  });

  it('法令検索: article-aware citations (法令名＋条＋項)', async () => {
    const r = await apps.run(actor, 'statute', { question: '保存期間を延長することができるのは誰ですか', collection: 'laws' });
    expect(r.abstained).toBe(false);
    const labels = (r.citations as { label?: string }[]).map((c) => c.label);
    expect(labels).toContain('港区文書管理規程第五条第三項');
    expect(r.output).toContain('根拠：港区文書管理規程第五条第三項');
  });

  it('runs a user-defined definition with its prompt through the pipeline', async () => {
    const def = (await import('../../src/apps/definition.js')).validateDefinition({
      id: 'faq-reply',
      title: '問合せ回答',
      inputs: [{ name: 'q', label: '問合せ', required: true }],
      prompt: '次の問合せに回答してください：{{q}}',
      model: 'up',
    });
    const r = await apps.run(actor, def, { q: '粗大ごみの出し方' });
    expect(r.output).toBe('echo: 次の問合せに回答してください：粗大ごみの出し方');
    await expect(apps.run(actor, def, { q: 'x' }, { model: 'extractive' })).rejects.toBeInstanceOf(HiragaError);
  });
});

function depsOf() {
  const s = services;
  return {
    run: (req: Parameters<GatewayServices['pipeline']['run']>[0]) => s.pipeline.run(req),
    models: { defaultModel: 'extractive', has: (id: string) => id === 'extractive' || id === 'up', isGenerative: (id: string) => id === 'up' },
    dateStyle: 'wareki' as const,
    store: s.store,
    audit: s.audit,
  };
}
