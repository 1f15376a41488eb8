import type { Draft, DraftLine } from './layout.js';
import { numberedItems, paragraphs } from './layout.js';

/** The kinds of document 文書作成 drafts (the select input's options). */
export type DraftKind = '通知文' | '依頼文' | '回答文' | '議事録' | '起案文の要旨' | 'お知らせ';

export interface DraftFields {
  title: string;
  to: string;
  from: string;
  /** Already formatted date (和暦 or 西暦). */
  date: string;
  body: string;
  items: string;
  place: string;
  attendees: string;
  /** 回答文: the date and subject of the inquiry answered. */
  reference: string;
  contact: string;
  number: string;
  /** 頭語・結語 (拝啓…敬具). */
  salutation: boolean;
}

const OPENING = '拝啓　時下ますます御清栄のこととお喜び申し上げます。';
const CLOSING = '敬具';

/** 記 … 以上 block, only when there are items. */
function kiGaki(items: string): DraftLine[] {
  const lines = numberedItems(items);
  return lines.length ? [{ text: '' }, { text: '記', align: 'center' }, { text: '' }, ...lines, { text: '' }, { text: '以上', align: 'right' }] : [];
}

/** Letter head: 文書番号, 日付, 宛先, 発信者 (right-aligned as in 公用文). */
function letterHead(f: DraftFields): DraftLine[] {
  return [
    ...(f.number ? [{ text: f.number, align: 'right' as const }] : []),
    { text: f.date, align: 'right' },
    { text: '' },
    ...(f.to ? [{ text: /(様|殿|御中|各位)$/.test(f.to) ? f.to : `${f.to}　様` }] : []),
    { text: '' },
    ...(f.from ? [{ text: f.from, align: 'right' as const }] : []),
    { text: '' },
  ];
}

function body(f: DraftFields, lead: string | null): DraftLine[] {
  const parts = paragraphs(f.body);
  const opening = f.salutation ? [{ text: OPENING }] : [];
  const leadLine = lead ? [{ text: `　${lead}` }] : [];
  return [...opening, ...leadLine, ...parts, ...(f.salutation ? [{ text: CLOSING, align: 'right' as const }] : [])];
}

const contact = (f: DraftFields): DraftLine[] => (f.contact ? [{ text: '' }, { text: `（問合せ先）${f.contact}`, align: 'right' }] : []);

/** One template per kind. Each returns the document's lines; nothing is invented beyond the fixed 公用文 phrases. */
export const TEMPLATES: Record<DraftKind, { salutation: boolean; build(f: DraftFields): Draft }> = {
  通知文: {
    salutation: false,
    build: (f) => ({
      title: `${f.title}について（通知）`,
      lines: [...letterHead(f), { text: `${f.title}について（通知）`, align: 'center', bold: true }, { text: '' }, ...body(f, f.items ? 'このことについて、下記のとおり通知します。' : null), ...kiGaki(f.items), ...contact(f)],
    }),
  },
  依頼文: {
    salutation: true,
    build: (f) => ({
      title: `${f.title}について（依頼）`,
      lines: [
        ...letterHead(f),
        { text: `${f.title}について（依頼）`, align: 'center', bold: true },
        { text: '' },
        ...body(f, f.items ? 'このことについて、下記のとおり御協力をお願いします。' : null),
        ...kiGaki(f.items),
        ...contact(f),
      ],
    }),
  },
  回答文: {
    salutation: true,
    build: (f) => ({
      title: `${f.title}について（回答）`,
      lines: [
        ...letterHead(f),
        { text: `${f.title}について（回答）`, align: 'center', bold: true },
        { text: '' },
        ...body(f, f.reference ? `${f.reference}で照会のありましたこのことについて、下記のとおり回答します。` : 'このことについて、下記のとおり回答します。'),
        ...kiGaki(f.items),
        ...contact(f),
      ],
    }),
  },
  議事録: {
    salutation: false,
    build: (f) => ({
      title: `${f.title}　議事録`,
      lines: [
        { text: `${f.title}　議事録`, align: 'center', bold: true },
        { text: '' },
        { text: `1　日時　${f.date}` },
        { text: `2　場所　${f.place || '（未記入）'}` },
        { text: `3　出席者　${f.attendees || '（未記入）'}` },
        { text: '4　議題' },
        ...numberedItems(f.items).map((l) => ({ text: `　${l.text.replace(/^(\d+)/, '($1)')}` })),
        { text: '5　議事概要' },
        ...paragraphs(f.body),
        ...(f.from ? [{ text: '' }, { text: `（記録）${f.from}`, align: 'right' as const }] : []),
      ],
    }),
  },
  起案文の要旨: {
    salutation: false,
    build: (f) => ({
      title: `${f.title}（起案）`,
      lines: [
        { text: `件名　${f.title}について`, bold: true },
        { text: `起案日　${f.date}` },
        ...(f.from ? [{ text: `起案者　${f.from}` }] : []),
        { text: '' },
        { text: '1　趣旨' },
        ...paragraphs(f.body),
        ...(f.items ? [{ text: '2　内容' }, ...numberedItems(f.items).map((l) => ({ text: `　${l.text.replace(/^(\d+)/, '($1)')}` }))] : []),
        ...(f.reference ? [{ text: `${f.items ? 3 : 2}　根拠` }, { text: `　${f.reference}` }] : []),
      ],
    }),
  },
  お知らせ: {
    salutation: false,
    build: (f) => ({
      title: `${f.title}のお知らせ`,
      lines: [
        { text: f.date, align: 'right' },
        ...(f.from ? [{ text: f.from, align: 'right' as const }] : []),
        { text: '' },
        { text: `${f.title}のお知らせ`, align: 'center', bold: true },
        { text: '' },
        ...body(f, null),
        ...kiGaki(f.items),
        ...contact(f),
      ],
    }),
  },
};

export const DRAFT_KINDS = Object.keys(TEMPLATES) as DraftKind[];
