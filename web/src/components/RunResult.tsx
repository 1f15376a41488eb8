import { useState } from 'react';
import type { AppRunResult } from '../api/types';
import { messageIn } from '../api/messages';
import { useI18n } from '../i18n';
import { AnswerText } from './AnswerText';
import { copyText } from './copyText';
import { docxBlob, saveBlob } from './Download';
import { ErrorNotice } from './ErrorNotice';
import { GovernanceBadges } from './GovernanceBadges';
import { ProofreadIssues } from './ProofreadIssues';
import { ProvenanceList } from './ProvenanceList';

export function outputText(out: AppRunResult['output']): string {
  if (typeof out === 'string') return out;
  if (out && typeof out.text === 'string') return out.text;
  return JSON.stringify(out, null, 2);
}

/** An app's output with its governance badges, provenance and the .docx download. */
export function RunResult({ result, appTitle }: { result: AppRunResult; appTitle: string }) {
  const { t, formatNumber, locale } = useI18n();
  const [error, setError] = useState<unknown>();
  const [copied, setCopied] = useState('');
  const pending = result.review?.status === 'pending';
  const text = outputText(result.output);
  async function copy() {
    setError(undefined);
    setCopied('');
    if (await copyText(text)) setCopied(t('apps.copied'));
    else setError(new Error(t('apps.copyFailed')));
  }
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
      {text ? (
        result.citations?.length ? (
          // [n] in the output open the cited passage, as in 資料QA.
          <div className="output" data-testid="app-output">
            <AnswerText text={text} citations={result.citations} />
          </div>
        ) : (
          <div className="output pre" data-testid="app-output">
            {text}
          </div>
        )
      ) : null}
      {result.note ? <p className="notice notice-info">{messageIn(result.note, locale)}</p> : null}
      {result.issues ? <ProofreadIssues issues={result.issues} /> : null}
      <GovernanceBadges g={result} />
      <div className="actions">
        {result.docx && !pending ? (
          <button type="button" className="btn btn-primary" onClick={() => void download()}>
            {t('apps.downloadDocx')}
          </button>
        ) : null}
        <button type="button" className="btn btn-secondary" onClick={() => void copy()}>
          {t('apps.copy')}
        </button>
      </div>
      <p className="small" role="status" data-testid="app-copied">
        {copied}
      </p>
      <ErrorNotice error={error} />
      <details className="provenance">
        <summary>{t('apps.provenance')}</summary>
        <dl className="kv">
          <dt>{t('apps.provApp')}</dt>
          <dd>{appTitle}</dd>
          <dt>{t('governance.model')}</dt>
          <dd>{result.model || t('governance.noModel')}</dd>
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
          {result.provenance ? (
            <ProvenanceList manifest={result.provenance} skip={['app', 'model', ...((result.auditId ?? result.audit_id) !== undefined ? ['audit_event_id'] : [])]} />
          ) : null}
        </dl>
        <p className="small muted">{t('apps.provExplain')}</p>
      </details>
    </section>
  );
}
