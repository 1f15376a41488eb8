import fs from 'node:fs';
import path from 'node:path';
import { withCorporateCheckDigit, withMyNumberCheckDigit } from '../../../src/guard/checks/check-digits.js';
import type { FindingType, GuardFlag } from '../../../src/guard/types.js';

export interface GoldSpan {
  type: FindingType;
  start: number;
  end: number;
  text: string;
}

export interface LabelledDoc {
  id: string;
  kind: string;
  text: string;
  spans: GoldSpan[];
}

export interface LabelledFlag {
  flag: GuardFlag;
  positive: boolean;
  text: string;
}

const DIR = import.meta.dirname;

/** Deterministic 11 digits from a key, so {MY:1} is the same valid number every run. */
function digitsFor(key: string, n: number): string {
  let h = 2166136261;
  let out = '';
  while (out.length < n) {
    for (const ch of key + out.length) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += String(h % 10);
  }
  return out;
}

export function myNumberFor(key: string): string {
  return withMyNumberCheckDigit(digitsFor(`my${key}`, 11));
}

export function corporateNumberFor(key: string): string {
  return withCorporateCheckDigit(digitsFor(`corp${key}`, 12));
}

function fillNumbers(s: string): string {
  return s
    .replace(/\{MY:(\d+)(s?)\}/g, (_, k: string, spaced: string) => {
      const n = myNumberFor(k);
      return spaced ? `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}` : n;
    })
    .replace(/\{CORP:(\d+)\}/g, (_, k: string) => corporateNumberFor(k));
}

/** Parse `[[type|span]]` markup into text + gold spans (offsets into the stripped text). */
export function parseMarkup(marked: string): { text: string; spans: GoldSpan[] } {
  const spans: GoldSpan[] = [];
  let text = '';
  let at = 0;
  for (const m of marked.matchAll(/\[\[(\w+)\|([^\]]*)\]\]/g)) {
    text += marked.slice(at, m.index);
    const span = m[2]!;
    spans.push({ type: m[1] as FindingType, start: text.length, end: text.length + span.length, text: span });
    text += span;
    at = m.index + m[0].length;
  }
  return { text: text + marked.slice(at), spans };
}

export function loadDocuments(file = path.join(DIR, 'documents.txt')): LabelledDoc[] {
  const raw = fs.readFileSync(file, 'utf8');
  return raw
    .split(/^### /m)
    .filter((b) => b.trim())
    .map((block) => {
      const nl = block.indexOf('\n');
      const [id, kind = ''] = block.slice(0, nl).trim().split(/\s+/);
      const { text, spans } = parseMarkup(fillNumbers(block.slice(nl + 1).replace(/\s+$/, '')));
      return { id: id!, kind, text, spans };
    });
}

export function loadFlags(file = path.join(DIR, 'flags.tsv')): LabelledFlag[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [flag, label, ...rest] = l.split('\t');
      return { flag: flag as GuardFlag, positive: label === '1', text: rest.join('\t').replace(/\\n/g, '\n') };
    });
}
