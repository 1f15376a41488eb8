import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { Document, Packer, Paragraph } from 'docx';
import { describe, expect, it } from 'vitest';
import { writeWithProvenance, embedManifestInDocx, readDocxProperty } from '../../src/provenance/index.js';
import { verifyProvenance } from '../../src/provenance/verify.js';
import { loadSigningKey } from '../../src/audit/keys.js';
import { sha256Hex } from '../../src/audit/canonical.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';

const meta = {
  model: { id: 'up', origin: 'domestic', hosting: 'on-prem' },
  app: 'press-release',
  input: '港区の子育て支援について',
  sources: [{ source: 'reiki/kosodate.md', chunk: 2 }],
  review: { id: 4, status: 'approved', decidedBy: 'suzuki' },
  auditEventId: 42,
};

describe('provenance', () => {
  it('writes FILE and FILE.provenance.json with a signed C2PA-style manifest; any change is caught and named', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'answer.txt');
    const m = await writeWithProvenance(file, '回答本文です。', meta, { config: { dataDir: dir } });
    expect(fs.readFileSync(file, 'utf8')).toBe('回答本文です。');
    const onDisk = JSON.parse(fs.readFileSync(`${file}.provenance.json`, 'utf8'));
    expect(onDisk).toEqual(m);
    expect(m).toMatchObject({
      claim_generator: { name: 'hiraga' },
      model: meta.model,
      app: 'press-release',
      input: { sha256: sha256Hex(meta.input) },
      output: { file: 'answer.txt', sha256: sha256Hex('回答本文です。') },
      sources: meta.sources,
      review: { id: 4, status: 'approved', decided_by: 'suzuki' },
      audit_event_id: 42,
      signature: { alg: 'Ed25519', key_id: loadSigningKey({ dataDir: dir }).keyId },
    });
    expect(await verifyProvenance(file)).toMatchObject({ ok: true, problems: [] });

    fs.writeFileSync(file, '回答本文です!');
    const changedFile = await verifyProvenance(file);
    expect(changedFile.problems.map((p) => p.what)).toEqual(['file']);

    fs.writeFileSync(file, '回答本文です。');
    fs.writeFileSync(`${file}.provenance.json`, JSON.stringify({ ...onDisk, app: 'other' }));
    const changedManifest = await verifyProvenance(file);
    expect(changedManifest.problems.map((p) => p.what)).toEqual(['manifest']);

    const trusted = loadSigningKey({ dataDir: tempDir() }).keyId;
    fs.writeFileSync(`${file}.provenance.json`, JSON.stringify(onDisk));
    expect((await verifyProvenance(file, undefined, trusted)).problems[0]!.message).toMatch(/not with the trusted key/);
  });

  it('a .docx carries the manifest in docProps/custom.xml, verifiable with or without the sidecar', async () => {
    const dir = tempDir();
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('起案文書の本文')] }] }));
    const file = path.join(dir, '起案.docx');
    const m = await writeWithProvenance(file, docx, meta, { config: { dataDir: dir } });
    const bytes = fs.readFileSync(file);
    const zip = await JSZip.loadAsync(bytes);
    expect(await zip.file('[Content_Types].xml')!.async('string')).toContain('/docProps/custom.xml');
    expect(await zip.file('_rels/.rels')!.async('string')).toContain('custom-properties');
    expect(JSON.parse((await readDocxProperty(bytes))!)).toEqual(m);
    expect(m.output.hash_method).toBe('docx-parts-sha256');
    expect(await verifyProvenance(file)).toMatchObject({ ok: true });
    fs.rmSync(`${file}.provenance.json`);
    expect(await verifyProvenance(file)).toMatchObject({ ok: true, manifest: 'embedded' });

    // Edit the document text: the embedded manifest no longer matches.
    const docXml = await zip.file('word/document.xml')!.async('string');
    zip.file('word/document.xml', docXml.replace('起案文書の本文', '書き換えた本文'));
    fs.writeFileSync(file, await zip.generateAsync({ type: 'uint8array' }));
    expect((await verifyProvenance(file)).problems.map((p) => p.what)).toEqual(['file']);

    // embedManifestInDocx keeps other custom properties and replaces ours.
    const again = await embedManifestInDocx(await embedManifestInDocx(docx, m), { ...m, app: 'x' });
    expect(JSON.parse((await readDocxProperty(again))!).app).toBe('x');
    expect(((await (await JSZip.loadAsync(again)).file('docProps/custom.xml')!.async('string')).match(/<property /g) ?? []).length).toBe(1);
  });

  it('hiraga provenance verify exits 0 intact, 1 when the file or the manifest changed (saying which)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.md');
    await writeWithProvenance(file, '# 回答\n', meta, { config: { dataDir: dir } });
    // Signed by the installation of that data folder: verified against its key.
    const ok = await runCli(['--data-dir', dir, 'provenance', 'verify', file]);
    expect(ok.code).toBe(0);
    fs.appendFileSync(file, '追記\n');
    const bad = await runCli(['--data-dir', dir, 'provenance', 'verify', file, `${file}.provenance.json`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/file changed/);
    expect((await runCli(['provenance', 'verify', path.join(dir, 'missing.md')])).code).toBe(2);
  }, 300_000);
});
