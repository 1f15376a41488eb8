import { badInput } from '../core/errors.js';
import type { AppDefinition, AppInput } from './definition.js';
import type { AppInputs } from './types.js';

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

/**
 * A field's label for each half of a bilingual message: built-in labels are 「本文 / Text」; a user's label is
 * usually Japanese only. Each half keeps to its language — a label's own " / " inside one message made the web
 * workspace split there (「app summarise: input "text" (本文」 / 「Text) is required」).
 */
function labels(inp: AppInput): { ja: string; en: string | null } {
  const [ja, en] = inp.label.split(/\s+\/\s+/, 2);
  if (en !== undefined && JAPANESE.test(ja!) && !JAPANESE.test(en)) return { ja: ja!.trim(), en: en.trim() };
  return JAPANESE.test(inp.label) ? { ja: inp.label, en: null } : { ja: inp.label, en: inp.label };
}

/** A bad_input naming the field (details.param), Japanese first. */
function fieldError(def: AppDefinition, inp: AppInput, ja: string, en: string) {
  return badInput(`${ja} / app ${def.id}: input "${inp.name}"${en}`, { details: { param: inp.name } });
}

/** Check raw inputs against the definition: unknown names, required fields, select options, numbers. */
export function validateInputs(def: AppDefinition, raw: Record<string, unknown>): AppInputs {
  const known = new Set(def.inputs.map((i) => i.name));
  for (const name of Object.keys(raw)) {
    if (!known.has(name)) {
      const list = [...known].join(', ') || '(none)';
      throw badInput(`このアプリに入力「${name}」はありません（入力: ${list}） / app ${def.id}: unknown input "${name}"; inputs: ${list}`, { details: { param: name } });
    }
  }
  const out: AppInputs = {};
  for (const inp of def.inputs) {
    const label = labels(inp);
    const given = raw[inp.name];
    // Before String(): an object's own toString may be anything (or not a function at all).
    if (typeof given === 'object' && given !== null) {
      throw fieldError(def, inp, `「${label.ja}」には文字列を入力してください`, ` must be text, not ${Array.isArray(given) ? 'a list' : 'an object'}`);
    }
    let value = given === undefined || given === null ? (inp.default !== undefined ? String(inp.default) : '') : String(given);
    if (!value.trim()) {
      if (inp.required) throw fieldError(def, inp, `「${label.ja}」を入力してください`, `${label.en ? ` (${label.en})` : ''} is required`);
      out[inp.name] = '';
      continue;
    }
    if (inp.type === 'number') {
      value = value.trim().normalize('NFKC');
      if (!Number.isFinite(Number(value))) throw fieldError(def, inp, `「${label.ja}」には数値を入力してください（「${value}」）`, ` must be a number (got "${value}")`);
    }
    if (inp.type === 'select' && inp.options && !inp.options.includes(value)) {
      throw fieldError(def, inp, `「${label.ja}」は ${inp.options.join('、')} から選んでください（「${value}」）`, ` = "${value}" is not one of: ${inp.options.join(', ')}`);
    }
    out[inp.name] = value;
  }
  return out;
}
