/** One line of a drafted document, with its placement on the page. */
export interface DraftLine {
  text: string;
  align?: 'left' | 'right' | 'center';
  bold?: boolean;
}

/** A drafted document: its lines, in order. */
export interface Draft {
  title: string;
  lines: DraftLine[];
}

/** Plain-text rendering: right-aligned lines are indented with full-width spaces, centred ones lightly. */
export function draftToText(draft: Draft, width = 36): string {
  return draft.lines
    .map((l) => {
      const len = Array.from(l.text).length;
      if (l.align === 'right') return '　'.repeat(Math.max(0, width - len)) + l.text;
      if (l.align === 'center') return '　'.repeat(Math.max(0, Math.floor((width - len) / 2))) + l.text;
      return l.text;
    })
    .join('\n');
}

/**
 * An item's own number or bullet: 1. / １　/ 1) / (1) / ・. A number is one only when a separator or a space
 * follows — 3月31日までに提出 and 10時から説明会 start with content (the number was stripped: 「月31日までに提出」),
 * and 1.5倍 is a decimal.
 */
const ITEM_MARK = /^(?:[0-9０-９]+(?:[.．](?![0-9０-９])|[、)）]|(?=\s))|[(（][0-9０-９]+[)）]|[・\-*])\s*/;

/** 記書き items: "1 …", numbered with half-width digits; existing numbers (1. / １ / (1)) are replaced. */
export function numberedItems(text: string): DraftLine[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(ITEM_MARK, ''))
    .filter(Boolean)
    .map((l, i) => ({ text: `${i + 1}　${l}` }));
}

/** Body paragraphs: each starts with a full-width space (段落の書き出しは1字下げ). */
export function paragraphs(text: string): DraftLine[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => ({ text: `　${l}` }));
}
