import { useState } from 'react';
import { api, apiBlob, ApiError } from '../api/client';
import { useLoad } from '../api/hooks';
import type { EvalRun } from '../api/types';
import { openBlob } from '../components/Download';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { PageTitle } from '../components/PageTitle';
import { useI18n } from '../i18n';

/** 評価: the evaluation lab's runs and their HTML reports (fetched with the API key, opened in a new tab). */
export function EvalScreen() {
  const { t, formatDate } = useI18n();
  const [error, setError] = useState<unknown>();
  const runs = useLoad<EvalRun[] | null>(async (signal) => {
    try {
      const r = await api<EvalRun[] | { runs: EvalRun[] }>('/api/eval/runs', { signal });
      return Array.isArray(r) ? r : (r.runs ?? []);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }, []);
  async function report(id: string) {
    setError(undefined);
    try {
      openBlob(new Blob([await apiBlob(`/api/eval/runs/${encodeURIComponent(id)}/report`)], { type: 'text/html' }));
    } catch (e) {
      setError(e);
    }
  }
  const suiteName = (s: EvalRun['suite']) => (typeof s === 'string' ? s : (s?.path ?? '—'));
  return (
    <>
      <PageTitle title={t('nav.eval')} lead={t('eval.lead')} />
      <ErrorNotice error={runs.error ?? error} />
      {runs.loading ? <Loading /> : null}
      {runs.data === null ? <p className="muted">{t('eval.notAvailable')}</p> : null}
      {runs.data && runs.data.length === 0 ? <p className="muted">{t('eval.empty')}</p> : null}
      {runs.data?.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('nav.eval')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('eval.id')}</th>
                <th scope="col">{t('eval.suite')}</th>
                <th scope="col">{t('eval.models')}</th>
                <th scope="col">{t('eval.created')}</th>
                <th scope="col">{t('eval.status')}</th>
                <th scope="col">{t('eval.report')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.id}</th>
                  <td>
                    {suiteName(r.suite)}
                    {typeof r.suite === 'object' && r.suite?.sha256 ? <code className="small wrap"> {r.suite.sha256.slice(0, 12)}…</code> : null}
                  </td>
                  <td>{(r.models ?? []).map((m) => (typeof m === 'string' ? m : m.id)).join(', ')}</td>
                  <td>{r.created_at ? formatDate(r.created_at) : '—'}</td>
                  <td>{r.status ?? '—'}</td>
                  <td>
                    <button type="button" className="btn btn-text btn-small" onClick={() => void report(String(r.id))}>
                      {t('eval.openReport')}
                      <span className="visually-hidden"> {t('eval.newTab', { id: r.id })}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
