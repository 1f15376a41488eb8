import { useEffect, useId, useRef, useState } from 'react';
import { api, ApiError, apiWithHeaders, nextLink } from '../api/client';
import { useLoad } from '../api/hooks';
import type { ReviewItem } from '../api/types';
import { ErrorNotice, Loading } from '../components/ErrorNotice';
import { PageTitle } from '../components/PageTitle';
import { useI18n } from '../i18n';

const STATUSES = ['pending', 'approved', 'rejected'] as const;

/** One page of GET /api/review: the items (oldest first) and the next page's URL when X-Has-More says more follow. */
interface ReviewPage {
  items: ReviewItem[];
  next?: string;
}

async function loadPage(url: string, signal?: AbortSignal): Promise<ReviewPage> {
  const { data, headers } = await apiWithHeaders<ReviewItem[] | { items: ReviewItem[] }>(url, { signal });
  const items = Array.isArray(data) ? data : (data.items ?? []);
  if (headers.get('x-has-more') !== 'true') return { items };
  const last = items[items.length - 1];
  // The Link header names the next page; without one, page on after the last id shown.
  const next = nextLink(headers) ?? (last ? `${url}${url.includes('?') ? '&' : '?'}after=${last.id}` : undefined);
  return next ? { items, next } : { items };
}

/** 確認待ち: held outputs for reviewers/admins — approve (optionally edited) or reject, always with a reason. */
export function ReviewScreen() {
  const { t } = useI18n();
  const fid = useId();
  const [status, setStatus] = useState<string>('pending');
  const [announce, setAnnounce] = useState('');
  /** An item another reviewer decided first (the queue is reloaded to show it as it is). */
  const [stale, setStale] = useState<number | null>(null);
  /** Pages loaded with 「続きを表示」, after the first (the queue is oldest first). */
  const [more, setMore] = useState<ReviewPage[]>([]);
  const [moreError, setMoreError] = useState<unknown>();
  const [loadingMore, setLoadingMore] = useState(false);
  const first = useLoad((signal) => loadPage(`/api/review?status=${encodeURIComponent(status)}`, signal), [status]);
  const pages = first.data ? [first.data, ...more] : [];
  // The first page is reloaded after each decision and may then reach into a later page: show each item once.
  const seen = new Set<number>();
  const shown: ReviewItem[] = [];
  for (const item of pages.flatMap((p) => p.items)) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    shown.push(item);
  }
  const next = pages[pages.length - 1]?.next;

  // A decision removes the card's buttons (and, once the queue is reloaded, often the card): focus would fall to
  // the page's start. Once the reload has come, focus the decided card if it is still listed, else the one now in
  // its place, else the screen's heading.
  const listRef = useRef<HTMLUListElement>(null);
  const [refocus, setRefocus] = useState<{ id: number; index: number; before: ReviewPage | undefined } | null>(null);
  useEffect(() => {
    if (!refocus || (first.data === refocus.before && !first.error)) return;
    const cards = Array.from(listRef.current?.querySelectorAll<HTMLElement>('[data-testid="review-item"]') ?? []);
    const card = cards.find((c) => c.dataset.id === String(refocus.id)) ?? cards[Math.min(refocus.index, cards.length - 1)];
    (card?.querySelector<HTMLElement>('h2') ?? document.querySelector<HTMLElement>('main h1'))?.focus();
    setRefocus(null);
  }, [refocus, first.data, first.error]);

  function reset() {
    setStale(null);
    setMore([]);
    setMoreError(undefined);
  }

  async function loadMore() {
    if (!next) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await loadPage(next);
      setMore((m) => [...m, page]);
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <>
      <PageTitle title={t('nav.review')} lead={t('review.lead')} />
      <div className="toolbar">
        <div className="field">
          <label htmlFor={`${fid}-status`}>{t('review.filter')}</label>
          <select
            id={`${fid}-status`}
            value={status}
            onChange={(e) => {
              reset();
              setStatus(e.target.value);
            }}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`review.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => {
            reset();
            first.reload();
          }}
        >
          {t('common.reload')}
        </button>
      </div>
      <p className="visually-hidden" role="status">
        {announce}
      </p>
      <ErrorNotice error={first.error} />
      {stale !== null ? (
        <p className="notice notice-info" data-testid="review-stale">
          {t('review.alreadyDecided', { id: stale })}
        </p>
      ) : null}
      {first.loading && !first.data ? <Loading /> : null}
      {first.data && shown.length === 0 ? <p className="muted">{t('review.empty')}</p> : null}
      <ul className="review-list" ref={listRef}>
        {shown.map((item, index) => (
          <ReviewCard
            key={item.id}
            item={item}
            onStale={(old) => {
              setStale(old.id);
              setAnnounce(t('review.alreadyDecided', { id: old.id }));
              setRefocus({ id: old.id, index, before: first.data });
              first.reload();
            }}
            onDecided={(decided) => {
              setStale(null);
              setAnnounce(t('review.decided', { id: decided.id, status: t(`review.status.${decided.status}`) }));
              // Later pages keep their place; the decided item shows its decision there.
              setMore((m) => m.map((p) => ({ ...p, items: p.items.map((i) => (i.id === decided.id ? decided : i)) })));
              setRefocus({ id: decided.id, index, before: first.data });
              first.reload();
            }}
          />
        ))}
      </ul>
      {next ? (
        <div className="notice notice-info" data-testid="review-more">
          <p>{t('review.moreNotice', { n: shown.length })}</p>
          <button type="button" className="btn btn-secondary" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? t('common.loading') : t('review.loadMore')}
          </button>
        </div>
      ) : null}
      <ErrorNotice error={moreError} />
    </>
  );
}

function ReviewCard({ item, onDecided, onStale }: { item: ReviewItem; onDecided(item: ReviewItem): void; onStale(item: ReviewItem): void }) {
  const { t, tOr, formatDate } = useI18n();
  const fid = useId();
  const [reason, setReason] = useState('');
  const [edit, setEdit] = useState(false);
  const [edited, setEdited] = useState(item.output ?? '');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const pending = item.status === 'pending';

  async function decide(action: 'approve' | 'reject') {
    if (action === 'reject' && !reason.trim()) {
      setError(new Error(t('review.reasonRequired')));
      document.getElementById(`${fid}-reason`)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, string> = { reason: reason.trim() || t('review.defaultApproveReason') };
      if (action === 'approve' && edit && edited !== item.output) body.editedText = edited;
      const r = await api<ReviewItem>(`/api/review/${item.id}/${action}`, { body });
      onDecided({ ...item, ...r, status: r?.status ?? (action === 'approve' ? 'approved' : 'rejected') });
    } catch (e) {
      // Someone decided it first: not an input error — show the queue as it is now.
      if (e instanceof ApiError && e.code === 'already_decided') onStale(item);
      else setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="review-item card" data-testid="review-item" data-id={item.id} data-status={item.status}>
      <h2 className="h3" tabIndex={-1}>
        {t('review.itemTitle', { id: item.id })}
        <span className={`badge ${pending ? 'badge-review' : 'badge-plain'}`}>{tOr(`review.status.${item.status}`, item.status)}</span>
      </h2>
      <dl className="kv">
        <dt>{t('review.requester')}</dt>
        <dd>{item.requester}</dd>
        {item.app ? (
          <>
            <dt>{t('review.app')}</dt>
            <dd>{item.app}</dd>
          </>
        ) : null}
        {item.model ? (
          <>
            <dt>{t('governance.model')}</dt>
            <dd>{item.model}</dd>
          </>
        ) : null}
        <dt>{t('review.reason')}</dt>
        <dd>
          {item.reasons?.length
            ? // The codes, in the UI's language (reason is the server's Japanese label of the first).
              item.reasons.map((r) => tOr(`review.reasons.${r}`, r)).join(t('review.reasonSeparator'))
            : item.reason
              ? tOr(`review.reasons.${item.reason}`, item.reason)
              : '—'}
        </dd>
        {item.created_at ? (
          <>
            <dt>{t('review.created')}</dt>
            <dd>{formatDate(item.created_at)}</dd>
          </>
        ) : null}
      </dl>
      <h3 className="h4">{t('review.output')}</h3>
      <div className="output pre">{item.output ?? ''}</div>
      {pending && item.decidable === false ? (
        <p className="notice notice-info" data-testid="review-own">
          {t('review.ownRequest')}
        </p>
      ) : pending ? (
        <div className="decision">
          <div className="field-check">
            <input id={`${fid}-edit`} type="checkbox" checked={edit} onChange={(e) => setEdit(e.target.checked)} />
            <label htmlFor={`${fid}-edit`}>{t('review.editBeforeApprove')}</label>
          </div>
          {edit ? (
            <div className="field">
              <label htmlFor={`${fid}-edited`}>{t('review.editedText')}</label>
              <textarea id={`${fid}-edited`} rows={6} value={edited} onChange={(e) => setEdited(e.target.value)} />
            </div>
          ) : null}
          <div className="field">
            <label htmlFor={`${fid}-reason`}>{t('review.decisionReason')}</label>
            <textarea id={`${fid}-reason`} rows={2} value={reason} aria-describedby={`${fid}-reason-hint`} onChange={(e) => setReason(e.target.value)} />
            <p className="hint" id={`${fid}-reason-hint`}>
              {t('review.reasonHint')}
            </p>
          </div>
          <div className="actions">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void decide('approve')}>
              {t('review.approve')}
            </button>
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void decide('reject')}>
              {t('review.reject')}
            </button>
          </div>
          <ErrorNotice error={error} />
        </div>
      ) : item.decision_reason ? (
        <p className="small">
          {t('review.decisionReason')}: {item.decision_reason}
        </p>
      ) : null}
    </li>
  );
}
