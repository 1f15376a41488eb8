import { ApiError } from '../api/client';
import { useI18n } from '../i18n';

/** An error the user must notice: announced by screen readers (role="alert"). */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t, tOr } = useI18n();
  if (!error) return null;
  let text: string;
  if (error instanceof ApiError) {
    // A reason of its own first (a spent budget is not a busy server), else the status.
    const known = tOr(`errors.code.${error.code}`, '') || tOr(`errors.status.${error.status}`, '');
    text = known ? `${known}（${error.message}）` : error.message;
  } else if (error instanceof Error) {
    text = error.name === 'TypeError' ? t('errors.network') : error.message;
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
