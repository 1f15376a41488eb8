import { describe, expect, it } from 'vitest';
import { parseDefinition, validateDefinition } from '../../src/apps/definition.js';
import { validateInputs } from '../../src/apps/inputs.js';
import { renderTemplate } from '../../src/apps/template.js';
import { HiragaError } from '../../src/core/errors.js';

const good = {
  id: 'reply-letter',
  title: '住民への回答案',
  inputs: [
    { name: 'question', label: '問合せ内容', type: 'textarea', required: true },
    { name: 'tone', label: '文体', type: 'select', options: ['丁寧', '簡潔'], default: '丁寧' },
  ],
  prompt: '次の問合せに{{tone}}な文体で回答してください。\n{{question}}',
};

function errorOf(fn: () => unknown): HiragaError {
  try {
    fn();
  } catch (err) {
    return err as HiragaError;
  }
  throw new Error('expected an error');
}

describe('app definitions', () => {
  it('accepts a valid definition and fills defaults', () => {
    const d = validateDefinition(good);
    expect(d).toMatchObject({ id: 'reply-letter', confidentiality: 3, review: false, k: 5, description: '' });
    expect(d.inputs[0]!.type).toBe('textarea');
  });

  it('reads YAML and JSON', () => {
    const yaml = `id: memo\ntitle: メモ\ninputs:\n  - name: text\n    label: 本文\n    required: true\nprompt: "{{text}}を要約"\nreview: true\n`;
    expect(parseDefinition(yaml, 'memo.yaml')).toMatchObject({ id: 'memo', review: true, inputs: [{ name: 'text', type: 'text', required: true }] });
    expect(parseDefinition(JSON.stringify(good), 'a.json').id).toBe('reply-letter');
  });

  it.each([
    [{ ...good, inputs: [{ name: 'q', label: 'Q', type: 'radio' }] }, /inputs\[0\]\.type = "radio"/],
    [{ ...good, prompt: '{{missing}}' }, /prompt = "\{\{missing\}\}": \{\{missing\}\} names no input/],
    [{ ...good, inputs: [{ name: 'q', label: 'Q', type: 'select' }], prompt: '{{q}}' }, /inputs\[0\]\.options = \(missing\): a select input needs options/],
    [{ ...good, id: 'Bad Id' }, /id = "Bad Id": use lower-case letters/],
    [{ ...good, confidentiality: 4 }, /confidentiality = 4/],
    [{ ...good, title: undefined }, /title = \(missing\)/],
    [{ ...good, colour: 'red' }, /colour|unrecognized/i],
    [{ ...good, model: 'a', models: ['a'] }, /models = \["a"\]: give either model or models/],
  ])('names the field in errors (%#)', (value, message) => {
    const e = errorOf(() => validateDefinition(value, 'app.json'));
    expect(e).toBeInstanceOf(HiragaError);
    expect(e.code).toBe('bad_input');
    expect(e.message).toMatch(/^app\.json is invalid: /);
    expect(e.message).toMatch(message);
  });

  it('reports broken YAML with the file name', () => {
    expect(errorOf(() => parseDefinition('id: [unclosed', 'x.yaml')).message).toMatch(/^x\.yaml is not valid YAML/);
  });

  it('validates inputs: unknown, required, select options, numbers', () => {
    const d = validateDefinition({ ...good, inputs: [...good.inputs, { name: 'n', label: 'N', type: 'number' }] });
    expect(validateInputs(d, { question: '税について' })).toEqual({ question: '税について', tone: '丁寧', n: '' });
    expect(errorOf(() => validateInputs(d, {})).message).toBe('「問合せ内容」を入力してください / app reply-letter: input "question" is required');
    expect(errorOf(() => validateInputs(d, { question: 'x', tone: '乱暴' })).message).toMatch(/not one of: 丁寧, 簡潔/);
    expect(errorOf(() => validateInputs(d, { question: 'x', n: 'abc' })).message).toMatch(/"n" must be a number/);
    expect(errorOf(() => validateInputs(d, { question: 'x', extra: '1' })).message).toMatch(/unknown input "extra"/);
  });

  // QA pass: a misspelt field was reported as the whole object at "(top level)", and a default no run could use
  // (a select default outside its options, a number default that is not a number) was saved, then refused on every run.
  it('names an unknown field at its own path, with the fields allowed there', () => {
    const top = errorOf(() => validateDefinition({ ...good, promt: 'x' }));
    expect(top.message).toMatch(/^app definition is invalid: promt = "x": unknown field; fields: id, title, description, inputs, prompt,/);
    expect(top.details).toMatchObject({ param: 'promt' });
    const inner = errorOf(() => validateDefinition({ ...good, inputs: [{ ...good.inputs[0], lable: '問合せ' }, good.inputs[1]] }));
    expect(inner.message).toContain('inputs[0].lable = "問合せ": unknown field; fields: name, label, type, required, options, default, help');
    expect(inner.details).toMatchObject({ param: 'inputs[0].lable' });
  });

  it('refuses a default that no run could accept', () => {
    const select = errorOf(() => validateDefinition({ ...good, inputs: [good.inputs[0], { ...good.inputs[1], default: '乱暴' }] }));
    expect(select.message).toContain('inputs[1].default = "乱暴": the default must be one of the options: 丁寧, 簡潔');
    expect(select.details).toMatchObject({ param: 'inputs[1].default' });
    const number = errorOf(() => validateDefinition({ ...good, inputs: [...good.inputs, { name: 'n', label: 'N', type: 'number', default: 'abc' }] }));
    expect(number.message).toContain('inputs[2].default = "abc": the default of a number input must be a number');
    expect(validateDefinition({ ...good, inputs: [...good.inputs, { name: 'n', label: 'N', type: 'number', default: '１０' }] }).inputs[2]!.default).toBe('１０');
  });

  // QA pass: a built-in label 「本文 / Text」 inside an English-only message made the workspace split the message at
  // the label: 「app summarise: input "text" (本文」 in Japanese, 「Text) is required」 in English.
  it('words input errors Japanese first, each half in its own language, naming the field', async () => {
    const { messageIn } = await import('../../web/src/api/messages.js');
    const { summariseApp } = await import('../../src/apps/builtin/summarise.js');
    const cases: [Record<string, unknown>, string, string, string][] = [
      [{}, 'text', '「本文」を入力してください', 'app summarise: input "text" (Text) is required'],
      [{ text: 'x', length: 'huge' }, 'length', '「長さ」は short、medium、long から選んでください（「huge」）', 'app summarise: input "length" = "huge" is not one of: short, medium, long'],
      [{ text: ['a'] }, 'text', '「本文」には文字列を入力してください', 'app summarise: input "text" must be text, not a list'],
      [{ text: 'x', lang: 'en' }, 'lang', 'このアプリに入力「lang」はありません（入力: text, length, style）', 'app summarise: unknown input "lang"; inputs: text, length, style'],
    ];
    for (const [raw, param, ja, en] of cases) {
      const err = errorOf(() => validateInputs(summariseApp.definition, raw));
      expect(err.code).toBe('bad_input');
      expect(err.details).toEqual({ param });
      expect(messageIn(err.message, 'ja')).toBe(ja);
      expect(messageIn(err.message, 'en')).toBe(en);
    }
  });

  it('renders templates', () => {
    expect(renderTemplate(good.prompt, { tone: '簡潔', question: '納期は？' })).toBe('次の問合せに簡潔な文体で回答してください。\n納期は？');
  });
});
