import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { listApps } from '../api/apps';
import { messageIn } from '../api/messages';
import { useLoad } from '../api/hooks';
import type { AppRunResult } from '../api/types';
import { AppForm, DEFAULT_INPUTS } from '../components/AppForm';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { PageTitle } from '../components/PageTitle';
import { RunResult } from '../components/RunResult';
import { useI18n } from '../i18n';
import { href } from '../routes';

/** 文書作成・要約・校正・翻訳 and tenant apps: pick an app, fill its form, get text + .docx + provenance. */
export function AppsScreen({ appId }: { appId?: string }) {
  const { t, locale } = useI18n();
  const apps = useLoad((s) => listApps(s), []);
  const [result, setResult] = useState<AppRunResult>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // チャット and 資料QA have their own screens; this one lists the document apps.
  const list = (apps.data ?? []).filter((a) => a.id !== 'chat' && a.id !== 'qa');
  const app = list.find((a) => a.id === appId) ?? (appId ? undefined : list[0]);
  const shownId = app?.id;

  // A result or error belongs to the app it came from: another app (the list, a link, the browser's Back) starts
  // clean, and a run still on its way when the app changes is not shown under the new one.
  const runFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    runFor.current = shownId;
    setResult(undefined);
    setError(undefined);
    setBusy(false);
  }, [shownId]);

  async function run(inputs: Record<string, string>) {
    if (!app) return;
    const id = app.id;
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const r = await api<AppRunResult>(`/api/apps/${encodeURIComponent(id)}/run`, { body: { inputs } });
      if (runFor.current === id) setResult(r);
    } catch (e) {
      if (runFor.current === id) setError(e);
    } finally {
      if (runFor.current === id) setBusy(false);
    }
  }

  return (
    <>
      <PageTitle title={t('nav.docs')} lead={t('apps.lead')} />
      <ErrorNotice error={apps.error} />
      {apps.loading ? <Loading /> : null}
      <div className="split">
        <nav className="app-list" aria-label={t('apps.listLabel')}>
          <ul>
            {list.map((a) => (
              <li key={a.id}>
                <a href={href('docs', a.id)} aria-current={a.id === app?.id ? 'page' : undefined}>
                  {messageIn(a.title, locale)}
                  {a.builtin ? null : <span className="small muted"> ({t('home.tenantTag')})</span>}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="app-pane">
          {app ? (
            <>
              <h2>{messageIn(app.title, locale)}</h2>
              <p>{messageIn(app.description, locale)}</p>
              <AppForm
                key={app.id}
                draft={`app.${app.id}`}
                inputs={app.inputs?.length ? app.inputs : DEFAULT_INPUTS}
                busy={busy}
                submitLabel={t('apps.run')}
                onSubmit={(v) => void run(v)}
              />
              <ErrorNotice error={error} />
              {result ? <RunResult result={result} appTitle={messageIn(app.title, locale)} /> : null}
            </>
          ) : !apps.loading ? (
            <p>{appId ? t('apps.notFound', { id: appId }) : t('home.noApps')}</p>
          ) : null}
        </div>
      </div>
    </>
  );
}
