import type { z } from 'zod';
import { guardSchema } from '../config/sections/guard.js';

export type GuardConfig = z.infer<typeof guardSchema>;

/** The built-in defaults (what an empty config file yields). */
export const defaultGuardConfig = (): GuardConfig => guardSchema.parse({});
