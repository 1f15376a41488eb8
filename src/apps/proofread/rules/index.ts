import type { RuleFamily, RuleId } from '../types.js';
import { dekiru } from './dekiru.js';
import { fukushiSetsuzokushi } from './fukushi-setsuzokushi.js';
import { gozaimasu } from './gozaimasu.js';
import { hankaku } from './hankaku.js';
import { hojoDoushi } from './hojo-doushi.js';
import { keishikiMeishi } from './keishiki-meishi.js';
import { kigou } from './kigou.js';
import { kutouten } from './kutouten.js';
import { nijuuKeigo } from './nijuu-keigo.js';
import { okurigana } from './okurigana.js';
import { prh } from './prh.js';
import { ranuki } from './ranuki.js';

/**
 * Every rule family, in priority order: where two findings overlap, the earlier family wins
 * (the specific, morphology-aware rules before the general wording dictionary).
 * Typed by RuleId, so a new id without a family fails to compile.
 */
export const RULE_FAMILIES: Record<RuleId, RuleFamily> = {
  'keishiki-meishi': keishikiMeishi,
  'hojo-doushi': hojoDoushi,
  'fukushi-setsuzokushi': fukushiSetsuzokushi,
  dekiru,
  hankaku,
  kutouten,
  ranuki,
  'nijuu-keigo': nijuuKeigo,
  gozaimasu,
  okurigana,
  prh,
  kigou,
};

export const RULE_IDS = Object.keys(RULE_FAMILIES) as RuleId[];
