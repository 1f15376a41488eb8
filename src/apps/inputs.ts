import { badInput } from '../core/errors.js';
import type { AppDefinition } from './definition.js';
import type { AppInputs } from './types.js';

/** Check raw inputs against the definition: unknown names, required fields, select options, numbers. */
export function validateInputs(def: AppDefinition, raw: Record<string, unknown>): AppInputs {
  const known = new Set(def.inputs.map((i) => i.name));
  for (const name of Object.keys(raw)) {
    if (!known.has(name)) throw badInput(`app ${def.id}: unknown input "${name}"; inputs: ${[...known].join(', ') || '(none)'}`);
  }
  const out: AppInputs = {};
  for (const inp of def.inputs) {
    const given = raw[inp.name];
    // Before String(): an object's own toString may be anything (or not a function at all).
    if (typeof given === 'object' && given !== null) throw badInput(`app ${def.id}: input "${inp.name}" must be text, not ${Array.isArray(given) ? 'a list' : 'an object'}`);
    let value = given === undefined || given === null ? (inp.default !== undefined ? String(inp.default) : '') : String(given);
    if (!value.trim()) {
      if (inp.required) throw badInput(`app ${def.id}: input "${inp.name}" (${inp.label}) is required`);
      out[inp.name] = '';
      continue;
    }
    if (inp.type === 'number') {
      value = value.trim().normalize('NFKC');
      if (!Number.isFinite(Number(value))) throw badInput(`app ${def.id}: input "${inp.name}" must be a number (got "${value}")`);
    }
    if (inp.type === 'select' && inp.options && !inp.options.includes(value)) {
      throw badInput(`app ${def.id}: input "${inp.name}" = "${value}" is not one of: ${inp.options.join(', ')}`);
    }
    out[inp.name] = value;
  }
  return out;
}
