import { chatCommand } from './chat.js';
import { guardCommand } from './guard.js';
import { ingestCommand } from './ingest.js';
import { askCommand } from './ask.js';
import { collectionsCommand } from './collections.js';
import { demoCommand } from './demo.js';
import { modelsCommand } from './models.js';
import { searchCommand } from './search.js';
import { auditCommand } from './audit.js';
import { reviewCommand } from './review.js';
import { provenanceCommand } from './provenance.js';
import { serveCommand } from './serve.js';
import { evalCommand } from './eval.js';
import { appsCommand } from './apps.js';
import { proofreadCommand } from './proofread.js';
import { keysCommand } from './keys.js';
import type { CommandSpec } from './types.js';

/** Every CLI command, in the order `hiraga --help` lists them. Add a command here. */
export const COMMANDS: CommandSpec[] = [ingestCommand, searchCommand, askCommand, collectionsCommand, demoCommand, modelsCommand, chatCommand, guardCommand, auditCommand, reviewCommand, provenanceCommand, serveCommand, keysCommand, evalCommand, appsCommand, proofreadCommand];
