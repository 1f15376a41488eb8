import type { Draft } from './layout.js';

/** Render a draft as .docx (A4, 明朝, right/centre alignment kept). */
export async function draftToDocx(draft: Draft): Promise<Uint8Array> {
  const { AlignmentType, Document, Packer, Paragraph, TextRun } = await import('docx');
  const align = { left: AlignmentType.LEFT, right: AlignmentType.RIGHT, center: AlignmentType.CENTER } as const;
  const doc = new Document({
    title: draft.title,
    creator: 'hiraga',
    styles: { default: { document: { run: { font: 'ＭＳ 明朝', size: 24 } } } },
    sections: [
      {
        properties: { page: { size: { width: 11_906, height: 16_838 }, margin: { top: 1_701, bottom: 1_418, left: 1_418, right: 1_418 } } },
        children: draft.lines.map(
          (l) => new Paragraph({ alignment: align[l.align ?? 'left'], children: [new TextRun({ text: l.text, ...(l.bold ? { bold: true } : {}) })] }),
        ),
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** Lines of plain text as a draft (after a model polished the text). */
export function textToDraft(title: string, text: string): Draft {
  return { title, lines: text.split(/\r?\n/).map((t) => ({ text: t })) };
}
