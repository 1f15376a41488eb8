import fs from 'node:fs';
import path from 'node:path';

export interface JsquadDoc {
  /** File name stem, also the gold key. */
  id: string;
  title: string;
  body: string;
}

export interface BenchQuestion {
  query: string;
  gold: string;
}

interface JsquadFile {
  data: { title: string; paragraphs: { context: string; qas: { id: string; question: string }[] }[] }[];
}

/** JSQuAD: every paragraph is a document ("title [SEP] body"), every question's gold is its paragraph. */
export function loadJsquad(file: string): { docs: JsquadDoc[]; questions: BenchQuestion[] } {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as JsquadFile;
  const docs: JsquadDoc[] = [];
  const questions: BenchQuestion[] = [];
  for (const article of data.data) {
    for (const p of article.paragraphs) {
      const id = p.qas[0]?.id.replace(/q\d+$/, '') ?? `p${docs.length}`;
      const sep = p.context.indexOf(' [SEP] ');
      const title = sep >= 0 ? p.context.slice(0, sep) : article.title;
      const body = sep >= 0 ? p.context.slice(sep + 7) : p.context;
      docs.push({ id, title, body });
      for (const q of p.qas) questions.push({ query: q.question, gold: id });
    }
  }
  return { docs, questions };
}

/** Write the paragraphs as text files (with an e-Gov style "# title" line) for hiraga's real ingest. */
export function writeJsquadFiles(docs: JsquadDoc[], dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const d of docs) fs.writeFileSync(path.join(dir, `${d.id}.txt`), `# ${d.title}\n\n${d.body}\n`);
}
