import type { Finding, FindingType } from '../types.js';
import { addressRule } from './address.js';
import { bankAccountRule } from './bank-account.js';
import { birthDateRule } from './birth-date.js';
import { corporateNumberRule } from './corporate-number.js';
import { creditCardRule } from './credit-card.js';
import { emailRule } from './email.js';
import { ipAddressRule } from './ip-address.js';
import { myNumberRule } from './my-number.js';
import { passportNumberRule } from './passport-number.js';
import { personNameRule } from './person-name.js';
import { phoneRule } from './phone.js';
import { postalCodeRule } from './postal-code.js';
import type { PiiRule, RuleContext } from './types.js';

/** The ONE table of personal-data rules: a type without a rule does not compile. */
export const PII_RULES: Record<FindingType, PiiRule> = {
  my_number: myNumberRule,
  corporate_number: corporateNumberRule,
  credit_card: creditCardRule,
  phone: phoneRule,
  email: emailRule,
  postal_code: postalCodeRule,
  address: addressRule,
  person_name: personNameRule,
  birth_date: birthDateRule,
  bank_account: bankAccountRule,
  passport_number: passportNumberRule,
  ip_address: ipAddressRule,
};

/** When spans overlap, the more specific type wins (a valid My Number beats a phone look-alike). */
const PRIORITY: Record<FindingType, number> = {
  email: 12,
  my_number: 11,
  corporate_number: 10,
  credit_card: 9,
  passport_number: 8,
  bank_account: 7,
  ip_address: 6,
  phone: 5,
  birth_date: 4,
  postal_code: 3,
  address: 2,
  person_name: 1,
};

const ALL_TYPES = Object.keys(PII_RULES) as FindingType[];

export function runRules(ctx: RuleContext, types?: readonly FindingType[]): Finding[] {
  const all: Finding[] = [];
  for (const type of types ?? ALL_TYPES) all.push(...PII_RULES[type].detect(ctx));
  return resolveOverlaps(all);
}

/** Keep non-overlapping findings: higher priority, then higher score, then longer span. */
export function resolveOverlaps(findings: Finding[]): Finding[] {
  const ranked = [...findings].sort(
    (a, b) => PRIORITY[b.type] - PRIORITY[a.type] || b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Finding[] = [];
  for (const f of ranked) {
    if (kept.some((k) => f.start < k.end && k.start < f.end)) continue;
    kept.push(f);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}
