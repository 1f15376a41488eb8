import { useId } from 'react';
import { api } from '../api/client';
import { useLoad } from '../api/hooks';
import type { BudgetStatus } from '../api/types';
import { useI18n } from '../i18n';

/** 今月の予算: the tenant's monthly limit (config `budgets`), what it has spent and what is left; nothing when it has no limit. */
export function BudgetPanel() {
  const { t, formatNumber } = useI18n();
  const id = useId();
  const budget = useLoad((signal) => api<BudgetStatus>('/api/budget', { signal }), []);
  const b = budget.data;
  if (!b?.limit) return null;
  // The first day of the next month in Japan time (resetsAt is its midnight in JST, given in UTC).
  const resumes = new Date(Date.parse(b.resetsAt) + 9 * 3600_000).toISOString().slice(0, 10);
  const rows = [
    ...(b.limit.monthlyJpy !== undefined ? [{ key: 'jpy' as const, limit: b.limit.monthlyJpy, spent: b.spent.jpy, remaining: b.remaining.jpy ?? 0, digits: 2 }] : []),
    ...(b.limit.monthlyTokens !== undefined ? [{ key: 'tokens' as const, limit: b.limit.monthlyTokens, spent: b.spent.tokens, remaining: b.remaining.tokens ?? 0, digits: 0 }] : []),
  ];
  return (
    <section className="card budget" aria-labelledby={`${id}-title`} data-testid="budget">
      <h2 id={`${id}-title`}>{t('usage.budget.title', { month: b.month })}</h2>
      {rows.map((r) => (
        <div className="budget-row" key={r.key}>
          <label htmlFor={`${id}-${r.key}`}>{t(`usage.budget.${r.key}`)}</label>
          <meter id={`${id}-${r.key}`} min={0} max={r.limit} low={r.limit * 0.8} high={r.limit * 0.95} optimum={0} value={Math.min(r.spent, r.limit)} />
          <span className="budget-figures">
            {t('usage.budget.figures', { spent: formatNumber(r.spent, r.digits), limit: formatNumber(r.limit, r.digits), remaining: formatNumber(r.remaining, r.digits) })}
          </span>
        </div>
      ))}
      {b.exceeded ? (
        <p className="notice notice-error" role="alert">
          {t('usage.budget.exceeded', { date: resumes })}
        </p>
      ) : null}
    </section>
  );
}
