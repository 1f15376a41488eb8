/**
 * `extend(base, extra)`: a new object with `base`'s own properties and then `extra`'s, as
 * `{ ...base, ...extra }` would make it.
 *
 * Why not the literal: on Node 20 (V8 11.3) an object literal that starts with a spread and goes on,
 * `{ ...base, time }` or `{ ...a, ...b }`, takes a path that puts the new object in the old generation.
 * The short-lived objects it points at then survive the young-generation collections that should
 * free them, and are freed only by full collections. Four such literals on the request path (the
 * audit record, its hash chain, the usage row, the model call) made a gateway at 500 req/s move
 * ~169 KB into the old generation per young collection; without them ~8 KB (`--trace-gc-nvp`,
 * 2026-12-03; `test/core/objects.test.ts` reproduces it). `Object.assign` onto a fresh object, and
 * literals that start with a plain property (`{ id, ...base }`), do not. Use this on the request path
 * (`test/core/request-path-literals.test.ts` finds such literals in the folders a model call runs through).
 */
export function extend<T extends object, U extends object>(base: T, extra: U): Omit<T, keyof U> & U {
  return Object.assign({}, base, extra);
}
