import { useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import type { Me } from '../api/types';
import { useI18n } from '../i18n';
import { LanguageSwitch } from '../components/LanguageSwitch';

/** Log in with an API key: checked with GET /api/me, then kept in sessionStorage for this tab only. */
export function LoginScreen({ onLogin, expired }: { onLogin(key: string, me: Me): void; expired?: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const [key, setKey] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const k = key.trim();
    if (!k) {
      setError(t('login.empty'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const me = await api<Me>('/api/me', { key: k });
      onLogin(k, me);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('login.invalid') : err instanceof ApiError ? err.message : t('errors.network'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <header className="login-header">
        <p className="brand">{t('app.name')}</p>
        <LanguageSwitch />
      </header>
      <main id="main" className="login-main">
        <h1>{t('login.title')}</h1>
        <p>{t('login.lead')}</p>
        {expired ? (
          <p className="notice notice-info" role="status">
            {t('login.expired')}
          </p>
        ) : null}
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${id}-key`}>{t('login.key')}</label>
            <input
              id={`${id}-key`}
              data-testid="login-key"
              type="password"
              autoComplete="current-password"
              spellCheck={false}
              value={key}
              onChange={(e) => setKey(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${id}-hint${error ? ` ${id}-err` : ''}`}
            />
            <p className="hint" id={`${id}-hint`}>
              {t('login.hint')}
            </p>
            {error ? (
              <p className="field-error" id={`${id}-err`} role="alert">
                {error}
              </p>
            ) : null}
          </div>
          <button type="submit" className="btn btn-primary btn-wide" data-testid="login-submit" disabled={busy}>
            {busy ? t('common.working') : t('login.submit')}
          </button>
        </form>
        <p className="small muted">{t('login.oidcNote')}</p>
      </main>
    </div>
  );
}
