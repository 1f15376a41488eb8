import { Fragment, useState } from 'react';
import type { AppRunResult } from '../api/types';
import { useI18n } from '../i18n';
import { docxBlob, saveBlob } from './Download';
import { ErrorNotice } from './ErrorNotice';
import { GovernanceBadges } from './GovernanceBadges';

export function outputText(out: AppRunResult['output']): string {
  if (typeof out === 'string') return out;
  if (out && typeof out.text === 'string') return out.text;
  return JSON.stringify(out, null, 2);
}

/** An app's output with its governance badges, provenance and the .docx download. */
export function RunResult({ result, appTitle }: { result: AppRunResult; appTitle: string }) {
  const { t, formatNumber } = useI18n();
  const [error, setError] = useState<unknown>();
  const pending = result.review?.status === 'pending';
  const text = outputText(result.output);
  async function download() {
    setError(undefined);
    try {
      const filename = (typeof result.docx === 'object' && result.docx && 'filename' in result.docx && result.docx.filename) || `${result.app || 'hiraga'}.docx`;
      saveBlob(await docxBlob(result.docx!), String(filename));
    } catch (e) {
      setError(e);
    }
  }
  return (
    <section className="run-result" aria-labelledby="run-result-title">
      <h2 id="run-result-title">{t('apps.result')}</h2>
      {pending ? (
        <div className="notice notice-warning">
          <strong>{t('review.pendingBadge')}</strong> {t('review.heldExplain')}
        </div>
      ) : null}
      {text ? <div className="output pre" data-testid="app-output">{text}</div> : null}
      <GovernanceBadges g={result} />
      <div className="actions">
        {result.docx && !pending ? (
          <button type="button" className="btn btn-primary" onClick={() => void download()}>
            {t('apps.downloadDocx')}
          </button>
        ) : null}
        <button type="button" className="btn btn-secondary" onClick={() => void navigator.clipboard?.writeText(text)}>
          {t('apps.copy')}
        </button>
      </div>
      <ErrorNotice error={error} />
      <details className="provenance">
        <summary>{t('apps.provenance')}</summary>
        <dl className="kv">
          <dt>{t('apps.provApp')}</dt>
          <dd>{appTitle}</dd>
          <dt>{t('governance.model')}</dt>
          <dd>{result.model}</dd>
          {(result.auditId ?? result.audit_id) !== undefined ? (
            <>
              <dt>{t('apps.provAudit')}</dt>
              <dd>#{result.auditId ?? result.audit_id}</dd>
            </>
          ) : null}
          {result.cost_jpy !== undefined ? (
            <>
              <dt>{t('usage.metric.cost_jpy')}</dt>
              <dd>{formatNumber(result.cost_jpy, 2)}</dd>
            </>
          ) : null}
          {result.provenance
            ? Object.entries(result.provenance).map(([k, v]) => (
                <Fragment key={k}>
                  <dt>{k}</dt>
                  <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
                </Fragment>
              ))
            : null}
        </dl>
        <p className="small muted">{t('apps.provExplain')}</p>
      </details>
    </section>
  );
}
