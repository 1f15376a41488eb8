import { useLoad } from '../api/hooks';
import { messageIn } from '../api/messages';
import { listApps } from '../api/apps';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { PageTitle } from '../components/PageTitle';
import { useI18n } from '../i18n';
import { href, SCREENS, type ScreenId } from '../routes';
import { hasRole, useSession } from '../session';

const TOOL_SCREENS: ScreenId[] = ['chat', 'qa', 'builder', 'review', 'admin', 'audit', 'usage', 'eval'];

/** ホーム: the use cases this user may start — workspace tools, then built-in and tenant apps. */
export function HomeScreen() {
  const { t } = useI18n();
  const { me } = useSession();
  const canRun = hasRole(me, ['staff', 'reviewer', 'admin']);
  const apps = useLoad((s) => (canRun ? listApps(s) : Promise.resolve([])), [canRun]);
  const tools = TOOL_SCREENS.filter((id) => hasRole(me, SCREENS.find((s) => s.id === id)!.roles));
  const builtin = (apps.data ?? []).filter((a) => a.builtin);
  const tenant = (apps.data ?? []).filter((a) => !a.builtin);
  return (
    <>
      <PageTitle title={t('home.title')} lead={t('home.lead', { user: me.user, tenant: me.tenant })} />
      <section aria-labelledby="home-tools">
        <h2 id="home-tools">{t('home.tools')}</h2>
        <ul className="cards">
          {tools.map((id) => (
            <li key={id} className="card">
              <h3>
                <a href={href(id)}>{t(`nav.${id}`)}</a>
              </h3>
              <p>{t(`home.toolDesc.${id}`)}</p>
            </li>
          ))}
        </ul>
      </section>
      {canRun ? (
        <>
          <ErrorNotice error={apps.error} />
          {apps.loading ? <Loading /> : null}
          <AppCards id="home-builtin" title={t('home.builtinApps')} apps={builtin} empty={t('home.noApps')} />
          <AppCards id="home-tenant" title={t('home.tenantApps', { tenant: me.tenant })} apps={tenant} empty={t('home.noTenantApps')} />
        </>
      ) : null}
    </>
  );
}

function AppCards({ id, title, apps, empty }: { id: string; title: string; apps: { id: string; title: string; description: string; builtin: boolean }[]; empty: string }) {
  const { t, locale } = useI18n();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {apps.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="cards">
          {apps.map((a) => (
            <li key={a.id} className="card">
              <h3>
                <a href={a.id === 'chat' ? href('chat') : a.id === 'qa' ? href('qa') : href('docs', a.id)}>{messageIn(a.title, locale)}</a>
              </h3>
              <p>{messageIn(a.description, locale)}</p>
              <p className="small muted">{a.builtin ? t('home.builtinTag') : t('home.tenantTag')}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
