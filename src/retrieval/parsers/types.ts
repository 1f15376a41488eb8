/** Structure recovered from a file, before chunking. */
export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; text: string };

export interface ParsedDocument {
  /** Title from the document itself (first heading, <title>, …), if any. */
  title?: string;
  blocks: Block[];
}

export type Parser = (data: Buffer, fileName: string) => Promise<ParsedDocument>;
