import type { Governance } from '../api/types';
import { useI18n } from '../i18n';

/** Model used (origin, hosting), confidentiality level, masking applied, review state and guard flags. */
export function GovernanceBadges({ g, modelOrigin }: { g: Omit<Governance, 'model'> & { model: string | null }; modelOrigin?: { origin?: string; hosting?: string } }) {
  const { t, tOr } = useI18n();
  const info = g.modelInfo ?? modelOrigin ?? {};
  const level = g.confidentiality;
  const masked = g.masked ?? [];
  const flags = g.flags ?? [];
  const pending = g.review && g.review.status === 'pending';
  return (
    <div className="governance">
      <ul className="badges" aria-label={t('governance.label')}>
        <li className="badge badge-model" data-kind="model">
          <span className="badge-key">{t('governance.model')}</span> {g.model || t('governance.noModel')}
          {info.origin ? <> · {tOr(`governance.origin.${info.origin}`, info.origin)}</> : null}
          {info.hosting ? <> · {tOr(`governance.hosting.${info.hosting}`, info.hosting)}</> : null}
        </li>
        {level ? (
          <li className={`badge badge-level level-${level}`} data-kind="confidentiality">
            <span className="badge-key">{t('governance.confidentiality')}</span> {t(`governance.level.${level}`)}
          </li>
        ) : null}
        <li className={`badge ${masked.length ? 'badge-masked' : 'badge-plain'}`} data-kind="masking">
          <span className="badge-key">{t('governance.masking')}</span>{' '}
          {masked.length ? t('governance.maskedCount', { n: masked.length }) : t('governance.noMasking')}
        </li>
        {pending ? (
          <li className="badge badge-review" data-kind="review">
            {t('review.pendingBadge')}
          </li>
        ) : g.review ? (
          <li className="badge badge-plain" data-kind="review">
            {t('review.statusLabel')}: {tOr(`review.status.${g.review.status}`, g.review.status)}
          </li>
        ) : null}
        {flags.map((f) => (
          <li key={f} className="badge badge-flag" data-kind="flag">
            {tOr(`governance.flag.${f}`, f)}
          </li>
        ))}
      </ul>
      {masked.length ? (
        <details className="masking-details" open>
          <summary>{t('governance.maskingDetails')}</summary>
          <p className="small">{t('governance.maskingExplain')}</p>
          <ul className="masked-list" data-testid="masking">
            {masked.map((m) => (
              <li key={m.placeholder}>
                <code>{m.placeholder}</code> — {tOr(`governance.finding.${m.type}`, m.type)}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
