/**
 * Run in a fresh process: time from "modules loaded" to the first tokenised sentence.
 *   node --import tsx bench/retrieval/cold-start.ts hiraga|kuromoji   → prints {"ms": …}
 */
import { getTokenizer, loadKuromojiTokenizer } from '../../src/retrieval/analysis/tokenizer.js';

const which = process.argv[2] === 'kuromoji' ? 'kuromoji' : 'hiraga';
const started = performance.now();
const tokenizer = which === 'kuromoji' ? await loadKuromojiTokenizer() : await getTokenizer();
tokenizer.tokenize('借地権の存続期間は三十年とする。');
process.stdout.write(JSON.stringify({ ms: performance.now() - started }) + '\n');
