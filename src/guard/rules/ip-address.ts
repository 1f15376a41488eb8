import type { Finding } from '../types.js';
import { featuresOf } from '../text/features.js';
import { makeFinding, matches } from './context.js';
import type { PiiRule } from './types.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
export const IPV4_RE = new RegExp(`(?<![\\d.]|[vV]er\\.?\\s?|[vV])${OCTET}(?:\\.${OCTET}){3}(?![\\d]|\\.\\d)`, 'g');
export const IPV6_RE = /(?<![\w:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}:){0,5}[0-9a-fA-F]{1,4}(?![\w:])/g;
const VERSION_CUE = /(バージョン|版|version|Ver)[:： ]*$/i;

export const ipAddressRule: PiiRule = {
  type: 'ip_address',
  label: 'IPアドレス',
  detect(ctx) {
    const out: Finding[] = [];
    const feat = featuresOf(ctx);
    if (feat.digits < 4 && feat.colons < 2) return out;
    for (const m of matches(ctx.folded, IPV4_RE)) {
      if (VERSION_CUE.test(ctx.folded.slice(Math.max(0, m.index - 10), m.index))) continue;
      out.push(makeFinding(ctx, 'ip_address', m.index, m.index + m[0].length, 0.95));
    }
    // IPv6 needs 7 colons, or '::'.
    if (feat.colons < 7 && !ctx.folded.includes('::')) return out;
    for (const m of matches(ctx.folded, IPV6_RE)) {
      if (!/[a-fA-F]|::/.test(m[0]) && m[0].split(':').length < 4) continue;
      out.push(makeFinding(ctx, 'ip_address', m.index, m.index + m[0].length, 0.9));
    }
    return out;
  },
};
