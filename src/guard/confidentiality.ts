import type { Confidentiality } from '../core/types.js';
import type { FindingType, Finding, FlagDetail } from './types.js';

/**
 * Level implied by each personal-data type. 特定個人情報 (My Number) is 機密性3; other personal data
 * is 機密性2; a 法人番号 is public (国税庁法人番号公表サイト), so it alone keeps a text at 1.
 */
export const DEFAULT_TYPE_LEVELS: Record<FindingType, Confidentiality> = {
  my_number: 3,
  corporate_number: 1,
  phone: 2,
  email: 2,
  postal_code: 2,
  address: 2,
  person_name: 2,
  birth_date: 2,
  credit_card: 3,
  bank_account: 2,
  passport_number: 3,
  ip_address: 2,
};

/** The highest of: the findings' levels, any marking in the text, and the declared level. */
export function classify(
  findings: readonly Finding[],
  details: readonly FlagDetail[],
  declared?: Confidentiality,
  typeLevels: Partial<Record<FindingType, Confidentiality>> = {},
): Confidentiality {
  let level: number = declared ?? 1;
  for (const f of findings) level = Math.max(level, typeLevels[f.type] ?? DEFAULT_TYPE_LEVELS[f.type]);
  for (const d of details) if (d.flag === 'confidentiality_marking' && d.level) level = Math.max(level, d.level);
  return level as Confidentiality;
}
