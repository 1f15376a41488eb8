import { chatCommand } from './chat.js';
import { ingestCommand } from './ingest.js';
import { modelsCommand } from './models.js';
import { searchCommand } from './search.js';
import type { CommandSpec } from './types.js';

/** Every CLI command, in the order `hiraga --help` lists them. Add a command here. */
export const COMMANDS: CommandSpec[] = [ingestCommand, searchCommand, modelsCommand, chatCommand];
