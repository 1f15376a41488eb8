import { badInput } from '../../core/errors.js';
import { validateDefinition } from '../definition.js';
import { formatDate, parseIsoDate } from '../drafting/dates.js';
import { draftToDocx, textToDraft } from '../drafting/docx.js';
import { draftToText, type Draft } from '../drafting/layout.js';
import { subjectOf } from '../drafting/subject.js';
import { DRAFT_KINDS, TEMPLATES, type DraftKind } from '../drafting/templates.js';
import { awaitsReview, GovernanceLog } from '../governed-call.js';
import { MAX_PROOFREAD_CHARS, proofread, publicIssue } from '../proofread/proofreader.js';
import type { BuiltinApp } from '../types.js';
import { requireGenerative } from './generative.js';

const POLISH_SYSTEM =
  'あなたは地方公共団体の文書担当者です。次の公用文の下書きを、内容・事実・日付・数値・固有名詞・構成（記書き、以上、問合せ先）を変えずに、「公用文作成の考え方」に沿った簡潔で正確な表現に整えてください。新しい事実を加えないでください。整えた本文だけを出力してください。';

/** 文書作成: deterministic 公用文 templates filled from the inputs, optionally polished by a generative model; text and .docx. */
export const draftingApp: BuiltinApp = {
  definition: validateDefinition({
    id: 'drafting',
    title: '文書作成 / Document drafting',
    description:
      '通知文・依頼文・回答文・議事録・起案文の要旨・お知らせの下書きを、公用文の書式（頭語・結語、記書き、和暦／西暦）で作成します。テキストと.docxで出力します。/ Drafts common administrative documents from a short brief, as text and .docx.',
    inputs: [
      { name: 'kind', label: '文書の種類 / Kind', type: 'select', options: DRAFT_KINDS, required: true },
      { name: 'title', label: '件名 / Subject', type: 'text', required: true },
      { name: 'body', label: '本文・要旨 / Body or brief', type: 'textarea', required: true },
      { name: 'items', label: '記書きの項目（1行に1項目）/ Items (one per line)', type: 'textarea' },
      { name: 'to', label: '宛先 / To', type: 'text' },
      { name: 'from', label: '発信者 / From', type: 'text' },
      { name: 'date', label: '日付（YYYY-MM-DD、省略時は今日）/ Date', type: 'text' },
      { name: 'number', label: '文書番号 / Reference number', type: 'text' },
      { name: 'place', label: '場所（議事録）/ Place', type: 'text' },
      { name: 'attendees', label: '出席者（議事録）/ Attendees', type: 'text' },
      { name: 'reference', label: '照会日・根拠 / Inquiry or basis', type: 'text' },
      { name: 'contact', label: '問合せ先 / Contact', type: 'text' },
      { name: 'salutation', label: '頭語・結語 / Salutation', type: 'select', options: ['auto', 'yes', 'no'], default: 'auto' },
      { name: 'polish', label: '生成モデルで清書 / Polish with a generative model', type: 'select', options: ['no', 'yes'], default: 'no' },
    ],
  }),
  async execute(inputs, ctx) {
    const kind = inputs.kind as DraftKind;
    const template = TEMPLATES[kind];
    let date = ctx.now();
    if (inputs.date) {
      const parsed = parseIsoDate(inputs.date);
      if (!parsed) {
        throw badInput(`日付は YYYY-MM-DD の形で入力してください（「${inputs.date}」） / app drafting: input "date" = "${inputs.date}" is not a date; use YYYY-MM-DD`, { details: { param: 'date' } });
      }
      date = parsed;
    }
    const draft: Draft = template.build({
      title: subjectOf(inputs.title!, kind),
      to: inputs.to ?? '',
      from: inputs.from ?? '',
      date: formatDate(date, ctx.dateStyle),
      body: inputs.body!,
      items: inputs.items ?? '',
      place: inputs.place ?? '',
      attendees: inputs.attendees ?? '',
      reference: inputs.reference ?? '',
      contact: inputs.contact ?? '',
      number: inputs.number ?? '',
      salutation: inputs.salutation === 'auto' || !inputs.salutation ? template.salutation : inputs.salutation === 'yes',
    });
    let text = draftToText(draft);
    let finalDraft = draft;
    let model: string | null = null;
    const log = new GovernanceLog();
    if (inputs.polish === 'yes') {
      requireGenerative(ctx, '清書（文章の推敲）');
      const r = await log.call(ctx, 'drafting', { messages: [{ role: 'system', content: POLISH_SYSTEM }, { role: 'user', content: text }] });
      model = r.model.id;
      if (!awaitsReview(r)) {
        text = r.content.trim();
        finalDraft = textToDraft(draft.title, text);
      } else text = r.content;
    }
    // The draft is proofread as a courtesy: a body over the proofreader's limit must not fail the draft itself
    // (it did, with 「分けて校正してください」, an error about a step the user never asked for).
    const check = text.length <= MAX_PROOFREAD_CHARS ? await proofread(text) : null;
    return {
      app: 'drafting',
      output: text,
      model,
      docx: await draftToDocx(finalDraft),
      data: {
        kind,
        title: draft.title,
        proofreading: check ? check.issues.map(publicIssue) : [],
        ...(check ? {} : { proofreadingSkipped: `校正していません（${MAX_PROOFREAD_CHARS.toLocaleString('en-US')} 文字を超えています） / not proofread: over ${MAX_PROOFREAD_CHARS} characters` }),
      },
      ...(log.calls ? { governance: log.summary()! } : {}),
    };
  },
};
