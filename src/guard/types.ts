import type { Confidentiality } from '../core/types.js';

/** Personal-data types the guard detects (the public contract names). */
export type FindingType =
  | 'my_number'
  | 'corporate_number'
  | 'phone'
  | 'email'
  | 'postal_code'
  | 'address'
  | 'person_name'
  | 'birth_date'
  | 'credit_card'
  | 'bank_account'
  | 'passport_number'
  | 'ip_address';

export interface Finding {
  type: FindingType;
  /** JavaScript string indices into the scanned text. */
  start: number;
  end: number;
  text: string;
  /** Confidence 0–1. */
  score: number;
}

export type GuardFlag = 'copyright_reference' | 'prompt_injection' | 'copyright_overlap' | 'confidentiality_marking' | 'placeholder_leak';

export interface FlagDetail {
  flag: GuardFlag;
  /** Why, in words a reviewer understands (e.g. the matched pattern or the overlapping source). */
  reason: string;
  start?: number;
  end?: number;
  score?: number;
  /** For confidentiality markings: the level the marking states. */
  level?: Confidentiality;
  /** For copyright overlaps: the protected source that was copied. */
  source?: string;
}

export interface ScanOptions {
  /** A level the user declared (raises, never lowers, the computed level). */
  declaredLevel?: Confidentiality;
  /** Where the text comes from: retrieved passages get injection checks tuned for documents. */
  origin?: 'prompt' | 'passage' | 'output';
  /** Only these personal-data types (default: all). */
  types?: readonly FindingType[];
  /** For outputs: the conversation's mask session, so unknown placeholders can be told apart. */
  session?: MaskSession;
}

export interface ScanResult {
  findings: Finding[];
  confidentiality: Confidentiality;
  flags: GuardFlag[];
  details: FlagDetail[];
}

/** Placeholder mapping kept per conversation so the same value always gets the same placeholder. */
export interface MaskSession {
  /** placeholder (〔氏名1〕) → original value */
  readonly values: Map<string, string>;
  /** `${type}\u0000${original}` → placeholder */
  readonly placeholders: Map<string, string>;
  readonly counters: Map<string, number>;
}

export interface MaskResult {
  masked: string;
  /** Placeholders introduced by this call. */
  replaced: { type: FindingType; placeholder: string }[];
}
