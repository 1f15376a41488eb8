import fs from 'node:fs';
import path from 'node:path';
import { extend } from '../core/objects.js';
import { getTokenizer, type Tokenizer } from '../retrieval/analysis/tokenizer.js';
import { classify } from './confidentiality.js';
import { defaultGuardConfig, type GuardConfig } from './config.js';
import { FLAG_RULES, runFlagRules } from './flags/index.js';
import { ProtectedCorpus } from './flags/protected-corpus.js';
import { ProtectedNames } from './flags/protected-names.js';
import { maskFindings, unmask } from './mask.js';
import { createNameAnalyzer } from './names/analyzer.js';
import { NameLexicon } from './names/lexicon.js';
import { runRules } from './rules/index.js';
import { textFeatures } from './text/features.js';
import { foldDigitDashes, foldWidth, stripInvisible } from './text/fold.js';
import { normalizeForRules, originalSpan } from './text/normalize.js';
import type { GuardFlag, MaskResult, MaskSession, ScanOptions, ScanResult } from './types.js';

export interface Guard {
  /** Synchronous and fast: the gateway calls it on every request. */
  scan(text: string, options?: ScanOptions): ScanResult;
  /** Scan, then replace the findings with typed placeholders kept in `session`. */
  mask(text: string, session: MaskSession, options?: ScanOptions): MaskResult & { scan: ScanResult };
  unmask(text: string, session: MaskSession): string;
  readonly corpus: ProtectedCorpus;
  readonly config: GuardConfig;
}

export interface GuardDeps {
  /** Kuromoji for names and creators (default: the shared tokenizer). `null` runs on lists alone. */
  tokenizer?: Tokenizer | null;
}

const FLAG_ORDER = Object.keys(FLAG_RULES) as GuardFlag[];

/** Build a guard: loads kuromoji and the protected corpus once; `scan` is synchronous afterwards. */
export async function createGuard(config: GuardConfig = defaultGuardConfig(), deps: GuardDeps = {}): Promise<Guard> {
  const tokenizer = deps.tokenizer === undefined ? await getTokenizer() : deps.tokenizer;
  const names = createNameAnalyzer(tokenizer, new NameLexicon(config.extraSurnames));
  const protectedNames = new ProtectedNames(config.protectedNames);
  const corpus = new ProtectedCorpus(config.overlapMinChars);
  for (const file of corpusFiles(config.protectedCorpus)) corpus.add(path.basename(file), fs.readFileSync(file, 'utf8'));

  const scan = (text: string, options: ScanOptions = {}): ScanResult => {
    // Personal data: the rules run on the normalised text (invisible characters removed, NFKC); each
    // finding's span is mapped back to the original — invisible characters inside a match included.
    const { text: ruleText, map: ruleMap } = normalizeForRules(text);
    // One pass of counts shared by every rule's pre-filter (digits, @, :, capitals).
    const features = textFeatures(ruleText);
    const findings = runRules({ text: ruleMap ? ruleText : text, folded: ruleText, names, features }, options.types);
    if (ruleMap) {
      for (const f of findings) {
        [f.start, f.end] = originalSpan(ruleMap, f.start, f.end);
        f.text = text.slice(f.start, f.end);
      }
    }
    // Flags need a folded text of the original's length: the rule text when nothing was dropped or
    // expanded (then there is no invisible character either), else width folding.
    const folded = ruleMap ? foldDigitDashes(foldWidth(text)) : ruleText;
    const { text: visible, map } = ruleMap ? stripInvisible(folded) : { text: folded, map: null };
    const details = runFlagRules({ text, folded, visible, map, hadInvisible: map !== null, options, names, protectedNames, corpus });
    const raised = new Set(details.map((d) => d.flag));
    return {
      findings,
      confidentiality: classify(findings, details, options.declaredLevel, config.typeLevels),
      flags: FLAG_ORDER.filter((f) => raised.has(f)),
      details,
    };
  };

  return {
    scan,
    mask(text, session, options) {
      const result = scan(text, options);
      return extend(maskFindings(text, result.findings, session), { scan: result });
    },
    unmask,
    corpus,
    config,
  };
}

/** Files of the protected corpus: each path is a file or a folder of .txt/.md files. */
function corpusFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!fs.existsSync(p)) continue;
    if (fs.statSync(p).isDirectory()) {
      for (const e of fs.readdirSync(p, { recursive: true, withFileTypes: true })) {
        if (e.isFile() && /\.(txt|md)$/i.test(e.name)) out.push(path.join(e.parentPath, e.name));
      }
    } else out.push(p);
  }
  return out.sort();
}

let shared: Promise<Guard> | null = null;

/** Convenience: scan with a default guard (built on first use). */
export async function scan(text: string, options?: ScanOptions): Promise<ScanResult> {
  shared ??= createGuard();
  return (await shared).scan(text, options);
}
