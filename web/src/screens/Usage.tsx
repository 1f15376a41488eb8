import { useId, useMemo, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { useLoad } from '../api/hooks';
import type { UsageRow } from '../api/types';
import { BarChart } from '../charts/BarChart';
import { LineChart, type Series } from '../charts/LineChart';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { PageTitle } from '../components/PageTitle';
import { useI18n } from '../i18n';
import { BudgetPanel } from './BudgetPanel';

const GROUPS = ['tenant', 'app', 'model'] as const;
const METRICS = ['calls', 'tokens', 'cost_jpy', 'energy_wh'] as const;
type Metric = (typeof METRICS)[number];

function isoDay(d: Date) {
  return d.toISOString().slice(0, 10);
}

/** 利用状況: usage per tenant / app / model over time, with cost and energy, as SVG charts plus a table. */
export function UsageScreen() {
  const { t, formatNumber } = useI18n();
  const fid = useId();
  const today = new Date();
  const monthAgo = new Date(today.getTime() - 29 * 86400_000);
  const [draft, setDraft] = useState({ groupBy: 'model' as (typeof GROUPS)[number], from: isoDay(monthAgo), to: isoDay(today) });
  const [query, setQuery] = useState(draft);
  const [metric, setMetric] = useState<Metric>('calls');
  const usage = useLoad(async (signal) => {
    const q = new URLSearchParams({ groupBy: query.groupBy, bucket: 'day' });
    if (query.from) q.set('from', query.from);
    if (query.to) q.set('to', `${query.to}T23:59:59.999`);
    const r = await api<{ rows: UsageRow[] }>(`/api/usage?${q}`, { signal });
    return r.rows ?? [];
  }, [query]);

  const rows = usage.data ?? [];
  const digits = metric === 'cost_jpy' || metric === 'energy_wh' ? 2 : 0;
  const fmt = (n: number) => formatNumber(n, digits);
  const series: Series[] = useMemo(() => {
    const by = new Map<string, Series>();
    for (const r of rows) {
      const s = by.get(r.key) ?? { key: r.key, points: [] };
      s.points.push({ x: r.bucket.slice(0, 10), y: Number(r[metric] ?? 0) });
      by.set(r.key, s);
    }
    return [...by.values()];
  }, [rows, metric]);
  const totals = useMemo(() => {
    const by = new Map<string, UsageRow>();
    for (const r of rows) {
      const x = by.get(r.key) ?? { key: r.key, bucket: '', calls: 0, tokens: 0, cost_jpy: 0, energy_wh: 0 };
      x.calls += r.calls;
      x.tokens += r.tokens;
      x.cost_jpy += r.cost_jpy;
      x.energy_wh += r.energy_wh;
      by.set(r.key, x);
    }
    return [...by.values()].sort((a, b) => b[metric] - a[metric]);
  }, [rows, metric]);

  const metricName = t(`usage.metric.${metric}`);
  const groupName = t(`usage.group.${query.groupBy}`);
  function apply(e: FormEvent) {
    e.preventDefault();
    setQuery(draft);
  }
  return (
    <>
      <PageTitle title={t('nav.usage')} lead={t('usage.lead')} />
      <BudgetPanel />
      <form className="filters" onSubmit={apply} aria-label={t('usage.filters')}>
        <div className="filter-row">
          <div className="field">
            <label htmlFor={`${fid}-group`}>{t('usage.groupBy')}</label>
            <select id={`${fid}-group`} value={draft.groupBy} onChange={(e) => setDraft({ ...draft, groupBy: e.target.value as (typeof GROUPS)[number] })}>
              {GROUPS.map((g) => (
                <option key={g} value={g}>
                  {t(`usage.group.${g}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${fid}-from`}>{t('common.from')}</label>
            <input id={`${fid}-from`} type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`${fid}-to`}>{t('common.to')}</label>
            <input id={`${fid}-to`} type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          </div>
          <div className="actions">
            <button type="submit" className="btn btn-secondary">
              {t('common.apply')}
            </button>
          </div>
        </div>
      </form>
      <fieldset className="metric-switch">
        <legend>{t('usage.metricLabel')}</legend>
        {METRICS.map((m) => (
          <label key={m} className="radio">
            <input type="radio" name={`${fid}-metric`} value={m} checked={metric === m} onChange={() => setMetric(m)} /> {t(`usage.metric.${m}`)}
          </label>
        ))}
      </fieldset>
      <ErrorNotice error={usage.error} />
      {usage.loading ? <Loading /> : null}
      {!usage.loading && rows.length === 0 ? <p className="muted">{t('usage.empty')}</p> : null}
      {rows.length ? (
        <>
          <section aria-labelledby={`${fid}-over-time`}>
            <h2 id={`${fid}-over-time`}>{t('usage.overTime', { metric: metricName, group: groupName })}</h2>
            <LineChart title={t('usage.overTime', { metric: metricName, group: groupName })} desc={t('usage.chartDesc')} series={series} format={fmt} />
          </section>
          <section aria-labelledby={`${fid}-totals`}>
            <h2 id={`${fid}-totals`}>{t('usage.totals', { metric: metricName, group: groupName })}</h2>
            <BarChart title={t('usage.totals', { metric: metricName, group: groupName })} desc={t('usage.chartDesc')} bars={totals.map((r) => ({ key: r.key, value: r[metric] }))} format={fmt} />
            <div className="table-wrap">
              <table>
                <caption>{t('usage.tableCaption', { group: groupName })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{groupName}</th>
                    {METRICS.map((m) => (
                      <th scope="col" key={m} className="num">
                        {t(`usage.metric.${m}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {totals.map((r) => (
                    <tr key={r.key}>
                      <th scope="row">{r.key}</th>
                      <td className="num">{formatNumber(r.calls)}</td>
                      <td className="num">{formatNumber(r.tokens)}</td>
                      <td className="num">{formatNumber(r.cost_jpy, 2)}</td>
                      <td className="num">{formatNumber(r.energy_wh, 2)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      ) : null}
    </>
  );
}
