import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { useLoad } from '../api/hooks';
import type { AuditEvent, VerifyResult } from '../api/types';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { PageTitle } from '../components/PageTitle';
import { useI18n } from '../i18n';

const ACTIONS = ['model.call', 'ask', 'app.run', 'ingest', 'policy.decision', 'guard.mask', 'review.decision', 'admin.change', 'login', 'eval.run'];
/** Never shown, even when the server keeps content under a retention rule: the viewer shows facts, not texts. */
const HIDDEN = new Set(['content', 'input', 'output', 'prompt', 'messages', 'text']);

/** Locale keys cannot contain dots: model.call → model_call. */
const keyOf = (action: string) => action.replace(/\./g, '_');
/** Details in reading order; anything else follows. */
const ORDER = ['id', 'time', 'action', 'actor', 'outcome', 'model', 'app', 'collection', 'confidentiality', 'findings', 'flags', 'citedChunks'];

const OUTCOMES = ['allow', 'mask', 'block', 'review', 'error', 'cancelled', 'approved', 'rejected'];

interface Filters {
  from: string;
  to: string;
  action: string;
  user: string;
  /** A key id as 管理 lists it (id:…), or a sign-in (oidc:…). */
  credential: string;
  outcome: string;
  model: string;
  limit: string;
}

/** One page of GET /api/audit. */
interface AuditPage {
  events: AuditEvent[];
  more?: boolean;
  nextBefore?: number;
}

const EMPTY: Filters = { from: '', to: '', action: '', user: '', credential: '', outcome: '', model: '', limit: '100' };

/**
 * A day of the date pickers as an instant: its first or last millisecond in the browser's time zone — the zone
 * the times in the table are shown in. A bare date was read by the server as midnight UTC (09:00 in Japan) and
 * the end of a day in the server's own zone, so a day's morning events were left out.
 */
function dayEdge(day: string, edge: 'start' | 'end'): string {
  const at = new Date(`${day}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}`);
  return Number.isNaN(at.getTime()) ? day : at.toISOString();
}

/** The query of these filters (and of the page before `before`, when given). */
function auditQuery(f: Filters, before?: number): URLSearchParams {
  const q = new URLSearchParams();
  if (f.from) q.set('from', dayEdge(f.from, 'start'));
  if (f.to) q.set('to', dayEdge(f.to, 'end'));
  for (const k of ['action', 'user', 'credential', 'outcome', 'model', 'limit'] as const) if (f[k].trim()) q.set(k, f[k].trim());
  if (before !== undefined) q.set('before', String(before));
  return q;
}

/**
 * 監査: the audit trail with filters, event details without raw personal data, and chain verification.
 * `credential` (from 管理's key list, #/audit/key/<id>) starts it filtered to that key's events.
 */
export function AuditScreen({ credential }: { credential?: string } = {}) {
  const { t, tOr, formatDate } = useI18n();
  const fid = useId();
  const [draft, setDraft] = useState<Filters>({ ...EMPTY, credential: credential ?? '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [selected, setSelected] = useState<AuditEvent>();
  const [verify, setVerify] = useState<VerifyResult>();
  const [verifyError, setVerifyError] = useState<unknown>();
  const [verifying, setVerifying] = useState(false);
  /** Older pages loaded with 「さらに古い記録」, after the first. */
  const [older, setOlder] = useState<AuditPage[]>([]);
  const [olderError, setOlderError] = useState<unknown>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const tableRef = useRef<HTMLTableElement>(null);
  /** Closing the details removes the focused panel: give focus back to the button that opened it. */
  function closeDetails() {
    const id = selected?.id;
    setSelected(undefined);
    if (id !== undefined) tableRef.current?.querySelector<HTMLElement>(`button[data-event="${id}"]`)?.focus();
  }
  const first = useLoad(async (signal) => {
    const r = await api<AuditPage | AuditEvent[]>(`/api/audit?${auditQuery(filters)}`, { signal });
    return Array.isArray(r) ? { events: r } : r;
  }, [filters]);
  const pages = first.data ? [first.data, ...older] : [];
  const shown = pages.flatMap((p) => p.events ?? []);
  const last = pages[pages.length - 1];
  const events = { data: first.data ? shown : undefined, error: first.error, loading: first.loading };

  function apply(e: FormEvent) {
    e.preventDefault();
    setSelected(undefined);
    setOlder([]);
    setOlderError(undefined);
    setFilters(draft);
  }

  async function loadOlder() {
    if (last?.nextBefore === undefined) return;
    setLoadingOlder(true);
    setOlderError(undefined);
    try {
      const r = await api<AuditPage>(`/api/audit?${auditQuery(filters, last.nextBefore)}`);
      setOlder((o) => [...o, r]);
    } catch (e) {
      setOlderError(e);
    } finally {
      setLoadingOlder(false);
    }
  }

  async function runVerify() {
    setVerifying(true);
    setVerifyError(undefined);
    setVerify(undefined);
    try {
      setVerify(await api<VerifyResult>('/api/audit/verify', { method: 'POST', body: {} }));
    } catch (e) {
      setVerifyError(e);
    } finally {
      setVerifying(false);
    }
  }

  return (
    <>
      <PageTitle title={t('nav.audit')} lead={t('audit.lead')} />
      <section className="verify" aria-labelledby={`${fid}-verify`}>
        <h2 id={`${fid}-verify`}>{t('audit.verifyTitle')}</h2>
        <p className="small">{t('audit.verifyExplain')}</p>
        <button type="button" className="btn btn-primary" onClick={() => void runVerify()} disabled={verifying} data-testid="audit-verify">
          {verifying ? t('common.working') : t('audit.verify')}
        </button>
        <div role="status" aria-live="polite" data-testid="audit-verify-result">
          {verify ? (
            verify.ok ? (
              <p className="notice notice-success">{t('audit.verifyOk', { n: verify.events })}</p>
            ) : (
              <p className="notice notice-error">
                {t('audit.verifyBad', { id: verify.firstBad?.id ?? '?', problem: verify.firstBad?.problem ?? '' })}
              </p>
            )
          ) : null}
        </div>
        <ErrorNotice error={verifyError} />
      </section>

      <form className="filters" onSubmit={apply} aria-labelledby={`${fid}-filters`}>
        <h2 id={`${fid}-filters`}>{t('audit.filters')}</h2>
        <div className="filter-row">
          <div className="field">
            <label htmlFor={`${fid}-from`}>{t('common.from')}</label>
            <input id={`${fid}-from`} type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`${fid}-to`}>{t('common.to')}</label>
            <input id={`${fid}-to`} type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`${fid}-action`}>{t('audit.action')}</label>
            <select id={`${fid}-action`} value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })}>
              <option value="">{t('common.all')}</option>
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {tOr(`audit.actions.${keyOf(a)}`, a)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${fid}-outcome`}>{t('audit.outcome')}</label>
            <select id={`${fid}-outcome`} value={draft.outcome} onChange={(e) => setDraft({ ...draft, outcome: e.target.value })}>
              <option value="">{t('common.all')}</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {tOr(`audit.outcomes.${o}`, o)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${fid}-user`}>{t('audit.user')}</label>
            <input id={`${fid}-user`} type="text" value={draft.user} onChange={(e) => setDraft({ ...draft, user: e.target.value })} maxLength={256} />
          </div>
          <div className="field">
            <label htmlFor={`${fid}-credential`}>{t('audit.credential')}</label>
            <input id={`${fid}-credential`} type="text" value={draft.credential} onChange={(e) => setDraft({ ...draft, credential: e.target.value })} placeholder="id:…" maxLength={64} />
          </div>
          <div className="field">
            <label htmlFor={`${fid}-model`}>{t('audit.model')}</label>
            <input id={`${fid}-model`} type="text" value={draft.model} onChange={(e) => setDraft({ ...draft, model: e.target.value })} maxLength={128} />
          </div>
          <div className="field">
            <label htmlFor={`${fid}-limit`}>{t('audit.limit')}</label>
            <input id={`${fid}-limit`} type="number" min={1} max={1000} value={draft.limit} onChange={(e) => setDraft({ ...draft, limit: e.target.value })} />
          </div>
          <div className="actions">
            <button type="submit" className="btn btn-secondary">
              {t('common.apply')}
            </button>
          </div>
        </div>
      </form>

      <ErrorNotice error={events.error} />
      {events.loading ? <Loading /> : null}
      <div className="split split-wide">
        <div className="table-wrap">
          <table className="audit-table" ref={tableRef}>
            <caption>{last?.more ? t('audit.countMore', { n: shown.length }) : t('audit.count', { n: events.data?.length ?? 0 })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.id')}</th>
                <th scope="col">{t('audit.time')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.outcome')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('audit.details')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {(events.data ?? []).map((ev) => (
                <tr key={ev.id} aria-selected={selected?.id === ev.id} className={selected?.id === ev.id ? 'selected' : undefined}>
                  <th scope="row">{ev.id}</th>
                  <td>{formatDate(ev.time)}</td>
                  <td>{tOr(`audit.actions.${keyOf(ev.action)}`, ev.action)}</td>
                  <td>
                    {ev.actor?.user ?? '—'}
                    {ev.actor?.role ? <span className="muted small"> ({tOr(`roles.${ev.actor.role}`, ev.actor.role)})</span> : null}
                  </td>
                  <td>{ev.outcome ? tOr(`audit.outcomes.${ev.outcome}`, ev.outcome) : '—'}</td>
                  <td>
                    <button type="button" className="btn btn-text btn-small" data-event={ev.id} onClick={() => setSelected(ev)} aria-label={t('audit.showDetails', { id: ev.id })}>
                      {t('audit.details')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {selected ? <EventDetails ev={selected} onClose={closeDetails} /> : null}
      </div>
      <ErrorNotice error={olderError} />
      {last?.more ? (
        <p>
          <button type="button" className="btn btn-secondary" onClick={() => void loadOlder()} disabled={loadingOlder} data-testid="audit-older">
            {loadingOlder ? t('common.working') : t('audit.older')}
          </button>
        </p>
      ) : null}
    </>
  );
}

function EventDetails({ ev, onClose }: { ev: AuditEvent; onClose(): void }) {
  const { t, tOr, formatDate } = useI18n();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), [ev.id]);
  const rank = (k: string) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
  const rows = Object.entries(ev)
    .filter(([k, v]) => !HIDDEN.has(k) && v !== undefined && v !== null)
    .sort(([a], [b]) => rank(a) - rank(b));
  const render = (k: string, v: unknown) => {
    if (k === 'findings' && v && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, number>);
      return entries.length ? entries.map(([type, n]) => `${tOr(`governance.finding.${type}`, type)} × ${n}`).join('、') : '—';
    }
    if (k === 'action') return tOr(`audit.actions.${keyOf(String(v))}`, String(v));
    if (k === 'outcome') return tOr(`audit.outcomes.${String(v)}`, String(v));
    if (k === 'actor' && v && typeof v === 'object') {
      const a = v as AuditEvent['actor'] & object;
      const who = `${a.user ?? '—'}（${a.role ? tOr(`roles.${a.role}`, a.role) : ''} / ${a.tenant ?? ''}）`;
      return a.credential ? `${who} · ${t('audit.credential')} ${a.credential}` : who;
    }
    if (k === 'model' && v && typeof v === 'object') {
      const m = v as { id?: string; origin?: string; hosting?: string };
      return [m.id, m.origin && tOr(`governance.origin.${m.origin}`, m.origin), m.hosting && tOr(`governance.hosting.${m.hosting}`, m.hosting)].filter(Boolean).join(' · ');
    }
    if (k === 'time') return formatDate(String(v));
    if (typeof v === 'object') return <code className="wrap">{JSON.stringify(v)}</code>;
    if (k.endsWith('hash') || k.endsWith('Sha256')) return <code className="wrap">{String(v)}</code>;
    return String(v);
  };
  return (
    <section className="event-details card" aria-labelledby="event-details-title" tabIndex={-1} ref={ref}>
      <h2 id="event-details-title" className="h3">
        {t('audit.eventTitle', { id: ev.id })}
      </h2>
      <p className="small">{t('audit.noRawData')}</p>
      <dl className="kv">
        {rows.map(([k, v]) => (
          <div key={k} className="kv-row">
            <dt>{tOr(`audit.fields.${k}`, k)}</dt>
            <dd>{render(k, v)}</dd>
          </div>
        ))}
        {'content' in ev && ev.content ? (
          <div className="kv-row">
            <dt>{tOr('audit.fields.content', 'content')}</dt>
            <dd>{t('audit.contentWithheld')}</dd>
          </div>
        ) : null}
      </dl>
      <button type="button" className="btn btn-secondary btn-small" onClick={onClose}>
        {t('common.close')}
      </button>
    </section>
  );
}
