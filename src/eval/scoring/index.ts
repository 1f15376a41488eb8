import type { ScorerTable } from '../types.js';
import { biasScorer } from './bias.js';
import { choiceScorer } from './choice.js';
import { generationScorer } from './generation.js';
import { proofreadScorer } from './proofread.js';
import { qaScorer } from './qa.js';
import { ragScorer } from './rag.js';
import { refusalScorer } from './refusal.js';

/** How each task is asked and scored. A new task type without an entry here does not compile. */
export const SCORERS: ScorerTable = {
  qa: qaScorer,
  rag: ragScorer,
  choice: choiceScorer,
  refusal: refusalScorer,
  bias: biasScorer,
  proofread: proofreadScorer,
  generation: generationScorer,
};
