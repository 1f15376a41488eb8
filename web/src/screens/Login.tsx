import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import { messageIn } from '../api/messages';
import type { Me, OidcConfig } from '../api/types';
import { useI18n, type Locale, type Translate } from '../i18n';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { fetchOidcConfig, OidcLoginError, startOidcLogin } from '../oidc';

/** The sentence for a sign-in with the organisation account that did not finish. */
function oidcErrorText(t: Translate, err: unknown): string {
  if (err instanceof OidcLoginError) {
    if (err.kind === 'insecure') return t('login.oidcInsecure');
    if (err.kind === 'state') return t('login.oidcState');
    return t('login.oidcFailed', { detail: err.detail || err.kind });
  }
  return t('login.oidcFailed', { detail: err instanceof Error ? err.message : String(err) });
}

/** Why a key was refused: an expired key is not a mistyped one; other refusals (429…) read as everywhere else. */
function loginErrorText(t: Translate, tOr: (key: string, fallback: string) => string, locale: Locale, err: unknown): string {
  if (!(err instanceof ApiError)) return t('errors.network');
  if (err.code === 'api_key_expired') return t('login.keyExpired');
  if (err.status === 401) return t('login.invalid');
  const known = tOr(`errors.status.${err.status}`, '');
  const detail = messageIn(err.message, locale);
  return known ? t('errors.withDetail', { reason: known, detail }) : detail;
}

/**
 * Log in with an API key (checked with GET /api/me, then kept in sessionStorage for this tab only), or,
 * when the gateway has OIDC configured, with the organisation account (see ../oidc.ts).
 */
export function LoginScreen({ onLogin, expired, oidcError }: { onLogin(key: string, me: Me): void; expired?: boolean; oidcError?: unknown }) {
  const { t, tOr, locale } = useI18n();
  const id = useId();
  const [key, setKey] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [oidc, setOidc] = useState<OidcConfig | null | 'unavailable'>(null);
  const [leaving, setLeaving] = useState(false);
  const [startError, setStartError] = useState<unknown>(null);

  // The tab's title names this screen (after logging out it still named the last screen, e.g. ホーム).
  useEffect(() => {
    document.title = `${t('login.title')} | ${t('app.title')}`;
  }, [t]);
  useEffect(() => {
    const ac = new AbortController();
    fetchOidcConfig(ac.signal).then(setOidc, () => undefined);
    return () => ac.abort();
  }, []);
  // Back from the identity provider with the browser's Back button (page restored from the cache): the button works again.
  useEffect(() => {
    const onShow = (e: PageTransitionEvent) => {
      if (e.persisted) setLeaving(false);
    };
    window.addEventListener('pageshow', onShow);
    return () => window.removeEventListener('pageshow', onShow);
  }, []);

  async function signInWithOidc(config: OidcConfig) {
    setLeaving(true);
    setStartError(null);
    try {
      await startOidcLogin(config);
    } catch (err) {
      setStartError(err);
      setLeaving(false);
    }
  }
  const ssoError = startError ?? oidcError;

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
      setError(loginErrorText(t, tOr, locale, err));
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
        <p>{oidc && oidc !== 'unavailable' ? t('login.leadOidc') : t('login.lead')}</p>
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
        {oidc && oidc !== 'unavailable' ? (
          <section className="login-oidc" aria-labelledby={`${id}-oidc`}>
            <p className="login-divider" aria-hidden="true">
              <span>{t('login.or')}</span>
            </p>
            <h2 id={`${id}-oidc`} className="visually-hidden">
              {t('login.oidcHeading')}
            </h2>
            <button type="button" className="btn btn-secondary btn-wide" data-testid="login-oidc" disabled={leaving} onClick={() => void signInWithOidc(oidc)}>
              {leaving ? t('login.oidcLeaving') : t('login.oidc')}
            </button>
            <p className="hint">{t('login.oidcHint')}</p>
          </section>
        ) : (
          <p className="small muted">{oidc === 'unavailable' ? t('login.oidcUnavailable') : t('login.oidcNote')}</p>
        )}
        {ssoError ? (
          <p className="notice notice-error" role="alert" data-testid="login-oidc-error">
            {oidcErrorText(t, ssoError)}
          </p>
        ) : null}
      </main>
    </div>
  );
}
