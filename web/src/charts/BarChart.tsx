import { useId } from 'react';
import { niceMax, SERIES } from './palette';

/** Horizontal bars: one total per key, value printed next to each bar. */
export function BarChart({ title, desc, bars, format }: { title: string; desc: string; bars: { key: string; value: number }[]; format(n: number): string }) {
  const id = useId();
  const W = 720;
  const row = 28;
  const label = 160;
  const H = Math.max(1, bars.length) * row + 16;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const iw = W - label - 110;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        {bars.map((b, i) => {
          const w = (b.value / max) * iw;
          const yy = 8 + i * row;
          return (
            <g key={b.key}>
              <text x={label - 8} y={yy + row / 2 - 2} textAnchor="end" dominantBaseline="middle" className="tick">
                {b.key.length > 18 ? `${b.key.slice(0, 17)}…` : b.key}
              </text>
              <rect x={label} y={yy + 2} width={Math.max(w, 1)} height={row - 10} fill={SERIES[i % SERIES.length]} />
              <text x={label + w + 6} y={yy + row / 2 - 2} dominantBaseline="middle" className="tick">
                {format(b.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
