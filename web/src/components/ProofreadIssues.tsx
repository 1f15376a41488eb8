import { messageIn } from '../api/messages';
import type { ProofreadIssue } from '../api/types';
import { useI18n } from '../i18n';

/** 公用文校正's findings: what each rule found and what it suggests (the corrected text alone does not say what changed). */
export function ProofreadIssues({ issues }: { issues: ProofreadIssue[] }) {
  const { t, locale } = useI18n();
  return (
    <section className="proofread-issues" aria-labelledby="proofread-issues-title" data-testid="proofread-issues">
      <h3 id="proofread-issues-title" className="h4">
        {t('apps.issues', { n: issues.length })}
      </h3>
      {issues.length === 0 ? (
        <p className="muted">{t('apps.noIssues')}</p>
      ) : (
        <ol>
          {issues.map((issue, i) => (
            <li key={i}>
              {messageIn(issue.message, locale)}
              {issue.suggestion ? <> {t('apps.suggestion', { text: issue.suggestion })}</> : null}
              {issue.fix ? <span className="small muted"> {t('apps.fixed')}</span> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
