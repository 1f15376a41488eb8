import { badInput } from '../core/errors.js';

/** An ISO date or date-time from the command line, normalised to the stored form (UTC ISO). */
export function parseTime(value: string, option: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw badInput(`${option} "${value}" is not a date; use ISO form such as 2025-04-01 or 2025-04-01T09:00:00+09:00`);
  return new Date(t).toISOString();
}
