import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import { useLoad } from '../api/hooks';
import { listCollections, listModels } from '../api/models';
import type { AdminPolicies, AdminUser, JobState } from '../api/types';
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

/** Admin endpoints an older server may lack (GET /api/admin/policies, /api/admin/users): "not available" on 404/405. */
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

const LEVELS = ['1', '2', '3'] as const;

function PoliciesSection() {
  const { t } = useI18n();
  const policies = useOptional<AdminPolicies>('/api/admin/policies');
  const p = policies.data;
  return (
    <Section id="admin-policies" title={t('admin.policies')}>
      <p className="small">{t('admin.policiesExplain')}</p>
      <ErrorNotice error={policies.error} />
      {policies.loading ? <Loading /> : p === null ? <p className="muted">{t('admin.notAvailable')}</p> : null}
      {p ? (
        <>
          <ClearancePolicy p={p} />
          <ReviewPolicy p={p} />
          <AuditPolicy p={p} />
          <Limits p={p} />
          <details>
            <summary>{t('admin.policy.raw')}</summary>
            <pre className="code">{JSON.stringify(p, null, 2)}</pre>
          </details>
        </>
      ) : null}
    </Section>
  );
}

function ClearancePolicy({ p }: { p: AdminPolicies }) {
  const { t, tOr } = useI18n();
  const action = (a: string) => tOr(`admin.policy.action.${a}`, a);
  return (
    <>
      <h3>{t('admin.policy.clearanceTitle')}</h3>
      <p className="small">{t('admin.policy.clearanceExplain')}</p>
      <dl className="kv">
        {(['2', '3'] as const).map((l) => (
          <div className="kv-row" key={l}>
            <dt>{t('admin.policy.whenExceeds', { level: t(`governance.level.${l}`) })}</dt>
            <dd>{action(p.guard.policy[l])}</dd>
          </div>
        ))}
        <div className="kv-row">
          <dt>{t('admin.policy.restoreMasked')}</dt>
          <dd>{t(p.guard.restoreMasked ? 'admin.policy.yes' : 'admin.policy.no')}</dd>
        </div>
      </dl>
      <div className="table-wrap">
        <table>
          <caption>{t('admin.policy.perModel')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.modelId')}</th>
              <th scope="col">{t('admin.clearance')}</th>
              {LEVELS.map((l) => (
                <th scope="col" key={l}>
                  {t(`governance.level.${l}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.models.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  {m.id}
                  {m.label ? <span className="muted"> {m.label}</span> : null}
                  {m.default ? <span className="muted"> {t('admin.policy.defaultModel')}</span> : null}
                  {m.tenants ? <span className="muted"> {t('admin.policy.onlyTenants', { tenants: m.tenants.join(', ') })}</span> : null}
                </th>
                <td>{tOr(`governance.level.${m.clearance}`, String(m.clearance))}</td>
                {LEVELS.map((l) => (
                  <td key={l}>{action(m.levels[l])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>{t('admin.policy.typeLevels')}</summary>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('admin.policy.typeLevels')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.policy.findingType')}</th>
                <th scope="col">{t('admin.policy.level')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(p.guard.typeLevels).map(([type, level]) => (
                <tr key={type}>
                  <th scope="row">{tOr(`governance.finding.${type}`, type)}</th>
                  <td>{tOr(`governance.level.${level}`, String(level))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}

function ReviewPolicy({ p }: { p: AdminPolicies }) {
  const { t } = useI18n();
  const need = p.review.require;
  const yesNo = (b: boolean) => t(b ? 'admin.policy.reviewRequired' : 'admin.policy.reviewNotRequired');
  return (
    <>
      <h3>{t('admin.policy.reviewTitle')}</h3>
      <dl className="kv">
        <div className="kv-row">
          <dt>{t('admin.policy.reviewCopyright')}</dt>
          <dd>{yesNo(need.copyright)}</dd>
        </div>
        <div className="kv-row">
          <dt>{t('admin.policy.reviewInjection')}</dt>
          <dd>{yesNo(need.injection)}</dd>
        </div>
        <div className="kv-row">
          <dt>{t('admin.policy.reviewLevel')}</dt>
          <dd>{need.minConfidentiality <= 3 ? t('admin.policy.reviewFromLevel', { level: t(`governance.level.${need.minConfidentiality}`) }) : t('admin.policy.reviewNotRequired')}</dd>
        </div>
        <div className="kv-row">
          <dt>{t('admin.policy.reviewLowGrounding')}</dt>
          <dd>{yesNo(need.lowGrounding)}</dd>
        </div>
        <div className="kv-row">
          <dt>{t('admin.policy.reviewSelf')}</dt>
          <dd>{t(p.review.allowSelfReview ? 'admin.policy.reviewSelfAllowed' : 'admin.policy.reviewSelfRefused')}</dd>
        </div>
      </dl>
    </>
  );
}

function AuditPolicy({ p }: { p: AdminPolicies }) {
  const { t, formatNumber } = useI18n();
  const r = p.audit.retentionDays;
  const days = (d: number | undefined) => (d === undefined ? '—' : d === 0 ? t('admin.policy.notKept') : t('admin.policy.days', { n: formatNumber(d) }));
  const rows: { key: string; label: string; values: Record<string, number> }[] = [
    { key: '@effective', label: t('admin.policy.retentionEffective', { tenant: p.tenant }), values: r.effective },
    { key: '@default', label: t('admin.policy.retentionDefault'), values: r.default },
    ...Object.entries(r.tenants).map(([tenant, values]) => ({ key: tenant, label: t('admin.policy.retentionTenant', { tenant }), values })),
  ];
  return (
    <>
      <h3>{t('admin.policy.auditTitle')}</h3>
      <dl className="kv">
        <div className="kv-row">
          <dt>{t('admin.policy.durability')}</dt>
          <dd>{t(p.audit.durability === 'os' ? 'admin.policy.durabilityOs' : 'admin.policy.durabilityFsync')}</dd>
        </div>
      </dl>
      <div className="table-wrap">
        <table>
          <caption>{t('admin.policy.retention')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.policy.retentionWho')}</th>
              {LEVELS.map((l) => (
                <th scope="col" key={l} className="num">
                  {t(`governance.level.${l}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                {LEVELS.map((l) => (
                  <td key={l} className="num">
                    {days(row.values[l])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Limits({ p }: { p: AdminPolicies }) {
  const { t, formatNumber } = useI18n();
  const bytes = (n: number) => (n >= 1024 * 1024 ? `${formatNumber(n / (1024 * 1024), 1)} MB` : n >= 1024 ? `${formatNumber(n / 1024, 1)} KB` : `${formatNumber(n)} B`);
  const seconds = (ms: number) => t('admin.policy.seconds', { n: formatNumber(ms / 1000, 1) });
  const rate = (n: number) => t('admin.policy.perWindow', { n: formatNumber(n), window: seconds(p.rateLimits.windowMs) });
  const tokens = (n: number | null | undefined) => (n ? t('admin.policy.tokensPerWindow', { n: formatNumber(n), window: seconds(p.rateLimits.windowMs) }) : t('admin.policy.noBudget'));
  const items: [string, string][] = [
    ['admin.policy.ratePerKey', rate(p.rateLimits.perKey)],
    ['admin.policy.ratePerTenant', rate(p.rateLimits.perTenant)],
    ['admin.policy.tokensPerUser', tokens(p.rateLimits.tokensPerUser)],
    ['admin.policy.tokensPerTenant', tokens(p.rateLimits.tokensPerTenant)],
    ['admin.policy.maxBody', bytes(p.limits.maxBodyBytes)],
    ['admin.policy.maxUpload', bytes(p.limits.maxUploadBytes)],
    ['admin.policy.maxFile', bytes(p.limits.maxFileBytes)],
    ['admin.policy.maxMessages', formatNumber(p.limits.maxMessages)],
    ['admin.policy.maxMessageChars', t('admin.policy.chars', { n: formatNumber(p.limits.maxMessageChars) })],
    ['admin.policy.timeout', seconds(p.limits.requestTimeoutMs)],
  ];
  if (p.budgets) {
    const b = p.budgets.limit;
    const parts = [
      ...(b?.monthlyJpy !== undefined ? [t('admin.policy.budgetJpy', { n: formatNumber(b.monthlyJpy) })] : []),
      ...(b?.monthlyTokens !== undefined ? [t('admin.policy.budgetTokens', { n: formatNumber(b.monthlyTokens) })] : []),
    ];
    items.push(['admin.policy.budget', parts.length ? parts.join(' / ') : t('admin.policy.noBudget')]);
  }
  return (
    <>
      <h3>{t('admin.policy.limitsTitle')}</h3>
      <dl className="kv">
        {items.map(([key, value]) => (
          <div className="kv-row" key={key}>
            <dt>{t(key)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

function UsersSection() {
  const { t, tOr, formatDate } = useI18n();
  const users = useOptional<AdminUser[]>('/api/admin/users');
  const rows = users.data ?? [];
  return (
    <Section id="admin-users" title={t('admin.users')}>
      <p className="small">{t('admin.usersExplain')}</p>
      <ErrorNotice error={users.error} />
      {users.loading ? <Loading /> : users.data === null ? <p className="muted">{t('admin.notAvailable')}</p> : users.data && !rows.length ? <p className="muted">{t('admin.noUsers')}</p> : null}
      {rows.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('admin.users')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.user')}</th>
                <th scope="col">{t('admin.role')}</th>
                <th scope="col">{t('admin.tenant')}</th>
                <th scope="col">{t('admin.keyId')}</th>
                <th scope="col">{t('admin.keyModels')}</th>
                <th scope="col">{t('admin.keyExpires')}</th>
                <th scope="col">{t('admin.keyLastUsed')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((u) => (
                <tr key={`${u.tenant}/${u.user}/${u.keyHint}`}>
                  <th scope="row">{u.user}</th>
                  <td>{tOr(`roles.${u.role}`, u.role)}</td>
                  <td>{u.tenant === '*' ? t('admin.allTenants') : u.tenant}</td>
                  <td>
                    <code>{u.keyHint}</code>
                  </td>
                  <td>{u.models ? u.models.join('、') : t('admin.keyAllModels')}</td>
                  <td>{u.expiresAt ? (u.expired ? t('admin.keyExpired', { at: formatDate(u.expiresAt) }) : formatDate(u.expiresAt)) : t('admin.keyNoExpiry')}</td>
                  <td>
                    {u.lastUsedAt ? (
                      <a href={`#/audit/key/${encodeURIComponent(u.keyHint)}`} title={t('admin.keyAuditLink')}>
                        {formatDate(u.lastUsedAt)}
                      </a>
                    ) : (
                      t('admin.keyNeverUsed')
                    )}
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
  // One upload at a time: a second click while the files are still being sent would start a second job for them.
  const [uploading, setUploading] = useState(false);
  const sending = useRef(false);
  // The selection already sent: a double click whose second click comes after the first upload finished (a fast
  // server) would send it again; ingesting the same files again would change nothing anyway.
  const sent = useRef<{ files: FileList; name: string } | null>(null);
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
    if (!files?.length || !name.trim() || sending.current) return;
    if (sent.current?.files === files && sent.current.name === name.trim()) return;
    sending.current = true;
    setUploading(true);
    setError(undefined);
    setJob(undefined);
    const form = new FormData();
    for (const f of Array.from(files)) form.append('files', f, f.name);
    try {
      const r = await api<{ job: string | number }>(`/api/collections/${encodeURIComponent(name.trim())}/ingest`, { body: form });
      const id = String(r.job);
      sent.current = { files, name: name.trim() };
      setJob({ id });
      void poll(id);
    } catch (err) {
      setError(err);
    } finally {
      sending.current = false;
      setUploading(false);
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
          <button type="submit" className="btn btn-primary" disabled={uploading}>
            {uploading ? t('common.working') : t('admin.startIngest')}
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
