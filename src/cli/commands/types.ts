import type { Command } from 'commander';

/** One CLI command: it declares its options and lazily imports what it runs (so --help stays instant). */
export interface CommandSpec {
  name: string;
  register(program: Command): void;
}
