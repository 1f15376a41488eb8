/** Series colours from the Digital Agency palette, each ≥ 4.5:1 against white. */
export const SERIES = [
  'var(--color-primitive-blue-900)',
  'var(--color-primitive-orange-800)',
  'var(--color-primitive-green-900)',
  'var(--color-primitive-magenta-900)',
  'var(--color-primitive-cyan-1000)',
  'var(--color-primitive-purple-900)',
  'var(--color-primitive-red-900)',
  'var(--color-neutral-solid-gray-800)',
];
/** Dash patterns so series differ by more than colour (WCAG 1.4.1). */
export const DASHES = ['', '6 3', '2 3', '8 3 2 3', '4 4', '1 2', '10 4', '3 6'];
export const MARKERS = ['circle', 'square', 'diamond', 'triangle'] as const;

export function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
