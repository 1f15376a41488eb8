import { ApiError } from '../api/client';
import { messageIn } from '../api/messages';
import { useI18n } from '../i18n';

/** An error the user must notice: announced by screen readers (role="alert"). */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t, tOr, locale } = useI18n();
  if (!error) return null;
  let text: string;
  if (error instanceof ApiError) {
    // A reason of its own first (a spent budget is not a busy server), else the status.
    const known = tOr(`errors.code.${error.code}`, '') || tOr(`errors.status.${error.status}`, '');
    const detail = messageIn(error.message, locale);
    text = known ? t('errors.withDetail', { reason: known, detail }) : detail;
  } else if (error instanceof Error) {
    text = error.name === 'TypeError' ? t('errors.network') : messageIn(error.message, locale);
  } else {
    text = String(error);
  }
  return (
    <div className="notice notice-error" role="alert">
      <strong>{t('errors.title')}</strong> {text}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {label ?? t('common.loading')}
    </p>
  );
}
