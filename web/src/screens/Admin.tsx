import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import { useLoad } from '../api/hooks';
import { listCollections, listModels } from '../api/models';
import type { JobState } from '../api/types';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { PageTitle } from '../components/PageTitle';
import { useI18n } from '../i18n';

/** 管理: models, policies, users and keys, collections with upload and ingestion progress. */
export function AdminScreen() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle title={t('nav.admin')} lead={t('admin.lead')} />
      <nav className="toc" aria-label={t('admin.toc')}>
        <ul>
          {(['models', 'policies', 'users', 'collections'] as const).map((s) => (
            <li key={s}>
              <a
                href={`#/admin`}
                onClick={(e) => {
                  e.preventDefault();
                  const el = document.getElementById(`admin-${s}`);
                  el?.scrollIntoView();
                  el?.focus();
                }}
              >
                {t(`admin.${s}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <ModelsSection />
      <PoliciesSection />
      <UsersSection />
      <CollectionsSection />
    </>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section className="admin-section" aria-labelledby={id}>
      <h2 id={id} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  );
}

function ModelsSection() {
  const { t, tOr } = useI18n();
  const models = useLoad((s) => listModels(s), []);
  return (
    <Section id="admin-models" title={t('admin.models')}>
      <ErrorNotice error={models.error} />
      {models.loading ? <Loading /> : null}
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t('admin.models')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.modelId')}</th>
              <th scope="col">{t('admin.provider')}</th>
              <th scope="col">{t('admin.origin')}</th>
              <th scope="col">{t('admin.hosting')}</th>
              <th scope="col">{t('admin.clearance')}</th>
            </tr>
          </thead>
          <tbody>
            {(models.data ?? []).map((m) => (
              <tr key={m.id}>
                <th scope="row">{m.id}</th>
                <td>{m.provider ?? '—'}</td>
                <td>{m.origin ? tOr(`governance.origin.${m.origin}`, m.origin) : '—'}</td>
                <td>{m.hosting ? tOr(`governance.hosting.${m.hosting}`, m.hosting) : '—'}</td>
                <td>{m.clearance ? t(`governance.level.${m.clearance}`) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

/** Endpoints the web asked for (docs/api.md "requested by web"): shown as "not available" until the server has them. */
function useOptional<T>(path: string) {
  return useLoad<T | null>(async (signal) => {
    try {
      return await api<T>(path, { signal });
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
      throw e;
    }
  }, [path]);
}

function PoliciesSection() {
  const { t } = useI18n();
  const policies = useOptional<Record<string, unknown>>('/api/admin/policies');
  return (
    <Section id="admin-policies" title={t('admin.policies')}>
      <p className="small">{t('admin.policiesExplain')}</p>
      <ErrorNotice error={policies.error} />
      {policies.loading ? <Loading /> : policies.data === null ? <p className="muted">{t('admin.notAvailable')}</p> : null}
      {policies.data ? <pre className="code">{JSON.stringify(policies.data, null, 2)}</pre> : null}
    </Section>
  );
}

interface UserRow {
  user: string;
  role: string;
  tenant: string;
  key?: string;
  keyHint?: string;
}

function UsersSection() {
  const { t, tOr } = useI18n();
  const users = useOptional<UserRow[] | { users: UserRow[] }>('/api/admin/users');
  const rows = users.data ? (Array.isArray(users.data) ? users.data : users.data.users) : [];
  return (
    <Section id="admin-users" title={t('admin.users')}>
      <p className="small">{t('admin.usersExplain')}</p>
      <ErrorNotice error={users.error} />
      {users.loading ? <Loading /> : users.data === null ? <p className="muted">{t('admin.notAvailable')}</p> : null}
      {rows.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('admin.users')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.user')}</th>
                <th scope="col">{t('admin.role')}</th>
                <th scope="col">{t('admin.tenant')}</th>
                <th scope="col">{t('admin.key')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((u) => (
                <tr key={`${u.tenant}/${u.user}/${u.keyHint ?? u.key ?? ''}`}>
                  <th scope="row">{u.user}</th>
                  <td>{tOr(`roles.${u.role}`, u.role)}</td>
                  <td>{u.tenant}</td>
                  <td>
                    <code>{u.keyHint ?? u.key ?? '—'}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Section>
  );
}

function CollectionsSection() {
  const { t, tOr, formatNumber } = useI18n();
  const fid = useId();
  const collections = useLoad((s) => listCollections(s), []);
  const [name, setName] = useState('');
  const [files, setFiles] = useState<FileList | null>(null);
  const [job, setJob] = useState<{ id: string; state?: JobState }>();
  const [error, setError] = useState<unknown>();
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  async function poll(id: string) {
    try {
      const state = await api<JobState>(`/api/jobs/${encodeURIComponent(id)}`);
      setJob({ id, state });
      if (state.state === 'done' || state.state === 'completed' || state.state === 'failed' || state.state === 'error') {
        collections.reload();
        return;
      }
      timer.current = window.setTimeout(() => void poll(id), 700);
    } catch (e) {
      setError(e);
    }
  }

  async function upload(e: FormEvent) {
    e.preventDefault();
    if (!files?.length || !name.trim()) return;
    setError(undefined);
    setJob(undefined);
    const form = new FormData();
    for (const f of Array.from(files)) form.append('files', f, f.name);
    try {
      const r = await api<{ job: string | number }>(`/api/collections/${encodeURIComponent(name.trim())}/ingest`, { body: form });
      const id = String(r.job);
      setJob({ id });
      void poll(id);
    } catch (err) {
      setError(err);
    }
  }

  const st = job?.state;
  const failed = st && (st.state === 'failed' || st.state === 'error');
  return (
    <Section id="admin-collections" title={t('admin.collections')}>
      <ErrorNotice error={collections.error} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t('admin.collections')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.collectionName')}</th>
              <th scope="col">{t('admin.documents')}</th>
              <th scope="col">{t('admin.chunks')}</th>
            </tr>
          </thead>
          <tbody>
            {(collections.data ?? []).map((c) => (
              <tr key={c.name}>
                <th scope="row">{c.name}</th>
                <td>{formatNumber(c.documents)}</td>
                <td>{formatNumber(c.chunks)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="upload" onSubmit={upload}>
        <h3>{t('admin.upload')}</h3>
        <div className="field">
          <label htmlFor={`${fid}-name`}>{t('admin.collectionName')}</label>
          <input id={`${fid}-name`} list={`${fid}-names`} required value={name} onChange={(e) => setName(e.target.value)} />
          <datalist id={`${fid}-names`}>
            {(collections.data ?? []).map((c) => (
              <option key={c.name} value={c.name} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor={`${fid}-files`}>{t('admin.files')}</label>
          <input id={`${fid}-files`} type="file" multiple required aria-describedby={`${fid}-files-hint`} accept=".pdf,.docx,.html,.htm,.txt,.md,.xlsx,.csv" onChange={(e) => setFiles(e.target.files)} />
          <p className="hint" id={`${fid}-files-hint`}>
            {t('admin.filesHint')}
          </p>
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary">
            {t('admin.startIngest')}
          </button>
        </div>
      </form>
      <ErrorNotice error={error} />
      {job ? (
        <div className="job" role="status" aria-live="polite">
          <label htmlFor={`${fid}-progress`}>{t('admin.progress', { job: job.id, state: st ? tOr(`admin.jobState.${st.state}`, st.state) : '…' })}</label>
          <progress id={`${fid}-progress`} max={st?.total || 1} value={st?.done ?? 0}>
            {st ? `${st.done}/${st.total}` : ''}
          </progress>
          <span className="small">{st ? t('admin.progressCount', { done: st.done, total: st.total }) : null}</span>
          {failed ? <p className="notice notice-error">{t('admin.ingestFailed')}</p> : null}
          {st?.report ? (
            <details>
              <summary>{t('admin.report')}</summary>
              <pre className="code">{typeof st.report === 'string' ? st.report : JSON.stringify(st.report, null, 2)}</pre>
            </details>
          ) : null}
        </div>
      ) : null}
    </Section>
  );
}
