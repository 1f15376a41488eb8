import { useId } from 'react';
import { DASHES, niceMax, SERIES } from './palette';

export interface Series {
  key: string;
  points: { x: string; y: number }[];
}

const W = 720;
const H = 280;
const PAD = { left: 64, right: 16, top: 16, bottom: 48 };

/** A plain SVG line chart (one line per series over shared x buckets). The caller also renders a data table. */
export function LineChart({ title, desc, series, format }: { title: string; desc: string; series: Series[]; format(n: number): string }) {
  const id = useId();
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort();
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.y))));
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const x = (v: string) => PAD.left + (xs.length <= 1 ? iw / 2 : (xs.indexOf(v) / (xs.length - 1)) * iw);
  const y = (v: number) => PAD.top + ih - (v / max) * ih;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const every = Math.max(1, Math.ceil(xs.length / 8));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} preserveAspectRatio="xMidYMid meet">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        {ticks.map((tv) => (
          <g key={tv}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(tv)} y2={y(tv)} className="grid" />
            <text x={PAD.left - 8} y={y(tv)} className="tick" textAnchor="end" dominantBaseline="middle">
              {Number.isInteger(tv) ? format(tv) : tv.toLocaleString(undefined, { maximumFractionDigits: 2 })}
            </text>
          </g>
        ))}
        {xs.map((v, i) =>
          i % every === 0 ? (
            <text key={v} x={x(v)} y={H - PAD.bottom + 20} className="tick" textAnchor="middle">
              {v.length > 10 ? v.slice(5, 10) : v}
            </text>
          ) : null,
        )}
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="axis" />
        {series.map((s, i) => {
          const pts = [...s.points].sort((a, b) => a.x.localeCompare(b.x));
          const color = SERIES[i % SERIES.length];
          return (
            <g key={s.key}>
              <polyline
                fill="none"
                stroke={color}
                strokeWidth={2.5}
                strokeDasharray={DASHES[i % DASHES.length]}
                points={pts.map((p) => `${x(p.x)},${y(p.y)}`).join(' ')}
              />
              {pts.map((p) => (
                <circle key={p.x} cx={x(p.x)} cy={y(p.y)} r={3.5} fill={color}>
                  <title>{`${s.key} ${p.x}: ${format(p.y)}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="legend">
          {series.map((s, i) => (
            <li key={s.key}>
              <svg width="32" height="10" aria-hidden="true">
                <line x1="0" x2="32" y1="5" y2="5" stroke={SERIES[i % SERIES.length]} strokeWidth="3" strokeDasharray={DASHES[i % DASHES.length]} />
              </svg>{' '}
              {s.key}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
