import path from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { badInput } from '../core/errors.js';
import type { Actor } from '../core/types.js';
import type { Store } from '../store/open.js';
import type { AppDefinition } from './definition.js';
import { looksLikeFile, readDefinitionFile, readInputFile } from './files.js';
import type { ProvenanceMeta } from '../provenance/index.js';
import type { AppRunOutcome } from './service.js';

export interface CliRunOptions {
  input: string[];
  model?: string;
  json?: boolean;
  out?: string;
}

/** --input name=value pairs → raw inputs; name=@FILE and inputs of type file read the file. */
async function parseInputs(pairs: string[], def: AppDefinition | null): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw badInput(`--input "${pair}" must be name=value`);
    const name = pair.slice(0, eq);
    let value = pair.slice(eq + 1);
    const type = def?.inputs.find((i) => i.name === name)?.type;
    if (value.startsWith('@') && value.length > 1) value = await readInputFile(value.slice(1));
    else if (type === 'file') value = await readInputFile(value);
    out[name] = name in out ? `${out[name]}\n${value}` : value;
  }
  return out;
}

/** The JSON shape of `apps run --json`. */
export function publicOutcome(r: AppRunOutcome) {
  return {
    app: r.app,
    output: r.output,
    model: r.model,
    ...(r.abstained !== undefined ? { abstained: r.abstained } : {}),
    ...(r.citations ? { citations: r.citations } : {}),
    ...(r.data ? r.data : {}),
    ...(r.governance
      ? { confidentiality: r.governance.confidentiality, masked: r.governance.masked, flags: r.governance.flags, ...(r.governance.review ? { review: r.governance.review } : {}) }
      : {}),
    ...(r.auditId !== undefined ? { audit_id: r.auditId } : {}),
    ...(r.docx ? { docx: true } : {}),
  };
}

/** `hiraga apps run`: compose the governed services, run, print and write outputs with provenance. */
export async function runAppFromCli(config: ResolvedConfig, store: Store, actor: Actor, app: string, opts: CliRunOptions): Promise<void> {
  const { builtinApp } = await import('./builtin/index.js');
  const fileDef = !builtinApp(app) && looksLikeFile(app) ? readDefinitionFile(app) : null;
  const { composeServices } = await import('../gateway/compose.js');
  const { appServiceFrom } = await import('./wiring.js');
  const services = await composeServices(config, { store });
  try {
    const service = appServiceFrom(services);
    const def = fileDef ?? (await service.get(actor, app)).definition;
    const inputs = await parseInputs(opts.input, def);
    const r = await service.run(actor, fileDef ?? app, inputs, opts.model ? { model: opts.model } : {});
    if (opts.out) await writeOutputs(config, opts.out, r, JSON.stringify(inputs));
    if (opts.json) process.stdout.write(JSON.stringify(publicOutcome(r), null, 2) + '\n');
    else {
      process.stdout.write(`${r.output}\n`);
      const report = r.data?.report;
      if (typeof report === 'string') process.stdout.write(`\n${report}\n`);
      if (r.citations?.length) {
        process.stdout.write('\n出典 / sources:\n');
        r.citations.forEach((c, i) => process.stdout.write(`[${i + 1}] ${(c as { label?: string }).label ?? `${c.source}#${c.chunk}`}  ${c.heading ?? ''}\n`));
      }
      const violations = r.data?.violations;
      if (Array.isArray(violations) && violations.length) process.stdout.write(`\n用語集違反 / glossary violations: ${violations.map((v: { ja: string; en: string }) => `${v.ja}=${v.en}`).join(', ')}\n`);
    }
  } finally {
    await services.close();
  }
}

/** What a provenance manifest of an app's output states (shared by `apps run --out` and the HTTP API). */
export function provenanceMeta(config: ResolvedConfig, r: AppRunOutcome, input: string): ProvenanceMeta {
  const info = r.model ? config.models.find((m) => m.id === r.model) : undefined;
  return {
    app: r.app,
    input,
    ...(info ? { model: { id: info.id, origin: info.origin, hosting: info.hosting } } : {}),
    ...(r.citations?.length ? { sources: r.citations.map((c) => ({ source: c.source, chunk: c.chunk })) } : {}),
    ...(r.governance?.review ? { review: r.governance.review } : {}),
    ...(r.auditId !== undefined ? { auditEventId: r.auditId } : {}),
  };
}

async function writeOutputs(config: ResolvedConfig, out: string, r: AppRunOutcome, input: string): Promise<void> {
  const { writeWithProvenance } = await import('../provenance/index.js');
  const meta = provenanceMeta(config, r, input);
  const options = { config };
  if (/\.docx$/i.test(out)) {
    if (!r.docx) throw badInput(`app ${r.app} does not produce a .docx; give --out a text file name`);
    await writeWithProvenance(out, r.docx, meta, options);
    return;
  }
  await writeWithProvenance(out, r.output.endsWith('\n') ? r.output : `${r.output}\n`, meta, options);
  if (r.docx) {
    const ext = path.extname(out);
    await writeWithProvenance(ext ? out.slice(0, -ext.length) + '.docx' : `${out}.docx`, r.docx, meta, options);
  }
}
