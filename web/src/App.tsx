import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, clearApiKey, getApiKey, getApiKeyExpiry, setApiKey, UNAUTHORIZED_EVENT } from './api/client';
import type { Me } from './api/types';
import { Loading } from './components/ErrorNotice';
import { LanguageSwitch } from './components/LanguageSwitch';
import { useI18n } from './i18n';
import { href, parseHash, SCREENS, type Route } from './routes';
import { AdminScreen } from './screens/Admin';
import { AppsScreen } from './screens/Apps';
import { AuditScreen } from './screens/Audit';
import { BuilderScreen } from './screens/Builder';
import { ChatScreen } from './screens/Chat';
import { EvalScreen } from './screens/Eval';
import { HomeScreen } from './screens/Home';
import { LoginScreen } from './screens/Login';
import { ReviewScreen } from './screens/Review';
import { UsageScreen } from './screens/Usage';
import { clearDrafts } from './drafts';
import { completeOidcLogin, isOidcCallback } from './oidc';
import { hasRole, SessionContext } from './session';

function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function App() {
  const { t } = useI18n();
  const [me, setMe] = useState<Me | null>(null);
  // Back from the identity provider (…/oidc/callback?code=…&state=…): finish that sign-in first.
  const [callback] = useState(isOidcCallback);
  const [checking, setChecking] = useState(() => callback || Boolean(getApiKey()));
  const [expired, setExpired] = useState(false);
  const [oidcError, setOidcError] = useState<unknown>(null);

  useEffect(() => {
    if (callback) {
      completeOidcLogin()
        .then((s) => {
          // The ID token is kept (and sent) exactly like an API key, with its expiry.
          setApiKey(s.idToken, s.expiresAt);
          sessionStorage.setItem('hiraga.justLoggedIn', '1');
          setExpired(false);
          setMe({ user: s.user, role: s.role, tenant: s.tenant });
        })
        .catch((e: unknown) => setOidcError(e))
        .finally(() => setChecking(false));
      return;
    }
    if (!getApiKey()) return;
    const until = getApiKeyExpiry();
    if (until !== null && until <= Date.now()) {
      clearApiKey();
      setExpired(true);
      setChecking(false);
      return;
    }
    api<Me>('/api/me')
      .then(setMe)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) {
          clearApiKey();
          setExpired(true);
        }
      })
      .finally(() => setChecking(false));
  }, [callback]);

  // An ID token expires: back to the login screen with the "expired" notice when it does, or as soon
  // as the server refuses the stored credential (401).
  useEffect(() => {
    if (!me) return;
    const expire = () => {
      clearApiKey();
      setMe(null);
      setExpired(true);
    };
    window.addEventListener(UNAUTHORIZED_EVENT, expire);
    const until = getApiKeyExpiry();
    const timer = until === null ? undefined : window.setTimeout(expire, Math.min(Math.max(0, until - Date.now()), 2_147_483_647));
    return () => {
      window.removeEventListener(UNAUTHORIZED_EVENT, expire);
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [me]);

  const logout = useCallback(() => {
    clearApiKey();
    clearDrafts();
    setMe(null);
    location.hash = '#/';
  }, []);

  if (checking) return <Loading label={t('login.checking')} />;
  if (!me)
    return (
      <LoginScreen
        expired={expired}
        oidcError={oidcError}
        onLogin={(key, who) => {
          setApiKey(key);
          sessionStorage.setItem('hiraga.justLoggedIn', '1');
          setExpired(false);
          setOidcError(null);
          setMe(who);
        }}
      />
    );
  return (
    <SessionContext.Provider value={{ me, logout }}>
      <Shell me={me} logout={logout} />
    </SessionContext.Provider>
  );
}

function Shell({ me, logout }: { me: Me; logout(): void }) {
  const { t, tOr } = useI18n();
  const route = useHashRoute();
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef<string | null>(null);
  // Right after logging in, focus the home heading (the login form that had focus is gone).
  useEffect(() => {
    if (sessionStorage.getItem('hiraga.justLoggedIn')) {
      sessionStorage.removeItem('hiraga.justLoggedIn');
      mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
    }
  }, []);
  const visible = SCREENS.filter((s) => hasRole(me, s.roles));
  const allowed = route.screen !== 'notFound' && visible.some((s) => s.id === route.screen);

  // After navigation, move focus to the new screen's heading so keyboard and screen-reader users land on it.
  const routeKey = `${route.screen}/${route.rest.join('/')}`;
  useEffect(() => {
    // Only on a real navigation (not on mount, nor StrictMode's re-run of effects).
    if (first.current === routeKey) return;
    const mounted = first.current !== null;
    first.current = routeKey;
    if (!mounted) return;
    const h1 = mainRef.current?.querySelector<HTMLElement>('h1');
    (h1 ?? mainRef.current)?.focus();
    window.scrollTo(0, 0);
  }, [routeKey]);

  const current = allowed ? SCREENS.find((s) => s.id === route.screen) : undefined;
  useEffect(() => {
    document.title = current ? `${t(`nav.${current.id}`)} | ${t('app.title')}` : t('app.title');
  }, [current, t]);

  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          mainRef.current?.focus();
        }}
      >
        {t('shell.skip')}
      </a>
      <header className="site-header">
        <div className="header-inner">
          <a className="brand" href={href('home')}>
            {t('app.name')}
            <span className="brand-sub">{t('app.tagline')}</span>
          </a>
          <div className="header-tools">
            <p className="whoami">
              <span className="visually-hidden">{t('shell.signedInAs')}</span>
              {me.user} <span className="badge badge-plain">{tOr(`roles.${me.role}`, me.role)}</span>{' '}
              <span className="small">
                {t('shell.tenant')}: {me.tenant}
              </span>
            </p>
            <LanguageSwitch />
            <button type="button" className="btn btn-text btn-small" onClick={logout}>
              {t('shell.logout')}
            </button>
          </div>
        </div>
        <nav className="site-nav" aria-label={t('shell.nav')}>
          <ul>
            {visible.map((s) => (
              <li key={s.id}>
                <a href={href(s.id)} aria-current={route.screen === s.id ? 'page' : undefined}>
                  {t(`nav.${s.id}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="site-main">
        {allowed ? <Screen route={route} /> : <NotAllowed unknown={route.screen === 'notFound'} />}
      </main>
      <footer className="site-footer">
        <p className="small">{t('shell.footer')}</p>
      </footer>
    </>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case 'home':
      return <HomeScreen />;
    case 'chat':
      return <ChatScreen key="chat" mode="chat" />;
    case 'qa':
      return <ChatScreen key="qa" mode="qa" />;
    case 'docs':
      return <AppsScreen appId={route.rest[0]} />;
    case 'builder':
      return <BuilderScreen />;
    case 'review':
      return <ReviewScreen />;
    case 'admin':
      return <AdminScreen />;
    case 'audit':
      return <AuditScreen credential={route.rest[0] === 'key' ? route.rest[1] : undefined} />;
    case 'usage':
      return <UsageScreen />;
    case 'eval':
      return <EvalScreen />;
    default:
      return null;
  }
}

function NotAllowed({ unknown }: { unknown: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <h1 tabIndex={-1}>{unknown ? t('shell.notFound') : t('shell.forbidden')}</h1>
      <p>
        <a href={href('home')}>{t('shell.backHome')}</a>
      </p>
    </>
  );
}
