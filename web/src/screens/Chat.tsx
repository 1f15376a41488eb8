import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api, ApiError, streamPost } from '../api/client';
import { useLoad } from '../api/hooks';
import { listCollections, listModels } from '../api/models';
import type { AskResult, Governance, ReviewItem } from '../api/types';
import { AnswerText } from '../components/AnswerText';
import { ErrorNotice } from '../components/ErrorNotice';
import { GovernanceBadges } from '../components/GovernanceBadges';
import { PageTitle } from '../components/PageTitle';
import { loadDraft, saveDraft } from '../drafts';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { loadTurns, saveTurns, type Turn } from './chatTurns';

const GENERAL = '';
/** How many earlier exchanges a chat question carries as context. */
const HISTORY_TURNS = 20;

/** チャット and 資料QA: one screen; 資料QA answers from a collection with numbered citations. */
export function ChatScreen({ mode }: { mode: 'chat' | 'qa' }) {
  const { t } = useI18n();
  const { me } = useSession();
  const formId = useId();
  const collections = useLoad((s) => listCollections(s), []);
  const models = useLoad((s) => listModels(s), []);
  const [collection, setCollection] = useState<string | null>(null);
  const [model, setModel] = useState('');
  // The composer's text and the chosen collection survive moving to another screen and a reload (this tab only).
  const [question, setQuestion] = useState(() => loadDraft(me.user, `${mode}.question`) ?? '');
  // The conversation too, with a held answer's 「状態を確認」 (see chatTurns.ts).
  const [turns, setTurns] = useState<Turn[]>(() => loadTurns(me.user, mode, t('chat.stopped')));
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const abortRef = useRef<AbortController | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const nextId = useRef(turns.reduce((n, x) => Math.max(n, x.id + 1), 1));
  useEffect(() => saveTurns(me.user, mode, turns), [me.user, mode, turns]);

  // The collection chosen before on this screen, if it is still there; else 資料QA by default when the tenant
  // has exactly one collection (or on the 資料QA screen).
  useEffect(() => {
    const list = collections.data;
    if (!list || collection !== null) return;
    const kept = loadDraft(me.user, `${mode}.collection`);
    if (kept !== null && (kept === GENERAL || list.some((c) => c.name === kept))) setCollection(kept);
    else if (list.length === 1 || (mode === 'qa' && list.length > 0)) setCollection(list[0]!.name);
    else setCollection(GENERAL);
  }, [collections.data, collection, mode, me.user]);
  useEffect(() => saveDraft(me.user, `${mode}.question`, question || null), [me.user, mode, question]);
  useEffect(() => {
    if (collections.error && collection === null) setCollection(GENERAL);
  }, [collections.error, collection]);
  useEffect(() => () => abortRef.current?.abort(), []);
  // Until the collections are known the default (資料QA or chat) is undecided: do not send yet.
  const ready = collection !== null;

  const selected = collection ?? GENERAL;
  const modelInfo = (id: string) => models.data?.find((m) => m.id === id);

  function update(id: number, patch: Partial<Turn> | ((t: Turn) => Partial<Turn>)) {
    setTurns((all) => all.map((x) => (x.id === id ? { ...x, ...(typeof patch === 'function' ? patch(x) : patch) } : x)));
  }

  async function send(e?: FormEvent) {
    e?.preventDefault();
    const typed = question;
    const q = typed.trim();
    if (!q || busy || !ready) return;
    const id = nextId.current++;
    // The latest exchanges only: the conversation is kept across reloads now, and all of it would in time pass
    // the server's message limits (server.maxMessages) and refuse every question.
    const history = turns.filter((x) => !x.collection && !x.error && x.answer).slice(-HISTORY_TURNS);
    setTurns((all) => [...all, { id, question: q, collection: selected, answer: '', citations: [], streaming: true }]);
    setQuestion('');
    setBusy(true);
    // The send button is disabled now (and the stop button goes when the answer ends): keep the keyboard in the
    // composer rather than letting focus fall to the start of the page.
    inputRef.current?.focus();
    setStatus(t('chat.generating'));
    const ac = new AbortController();
    abortRef.current = ac;
    try {
      if (selected) await askCollection(id, q, ac.signal);
      else await chat(id, q, history, ac.signal);
      setStatus(t('chat.done'));
    } catch (err) {
      // Stopped (or the screen left) while waiting; a refusal that came back first (e.g. the 401 that has just
      // replaced this screen, aborting on the way out) is a refusal, not a stop.
      if (ac.signal.aborted && !(err instanceof ApiError)) update(id, { error: new Error(t('chat.stopped')) });
      else {
        update(id, { error: err });
        // Not sent (too long, refused, network): give the text back to correct and resend, unless a new one was begun.
        setQuestion((now) => (now.trim() ? now : typed));
        // Kept as the draft at once too: a 401 (key revoked or expired) has already replaced this screen with the
        // login screen, and the text must be there again after logging back in.
        if (!loadDraft(me.user, `${mode}.question`)?.trim()) saveDraft(me.user, `${mode}.question`, typed);
      }
      setStatus(t('chat.failed'));
    } finally {
      update(id, { streaming: false });
      setBusy(false);
      abortRef.current = null;
    }
  }

  async function askCollection(id: number, q: string, signal: AbortSignal) {
    const events = await streamPost('/api/ask', { collection: selected, question: q, model: model || undefined, stream: true }, signal);
    for await (const ev of events) {
      if (ev.event === 'delta') {
        const d = JSON.parse(ev.data) as { text?: string };
        update(id, (x) => ({ answer: x.answer + (d.text ?? '') }));
      } else if (ev.event === 'done') {
        const r = JSON.parse(ev.data) as AskResult;
        update(id, { answer: r.answer ?? '', citations: r.citations ?? [], abstained: r.abstained, gov: r });
      } else if (ev.event === 'error') {
        const d = JSON.parse(ev.data) as { error?: { message?: string } };
        throw new Error(d.error?.message ?? ev.data);
      }
    }
  }

  async function chat(id: number, q: string, history: Turn[], signal: AbortSignal) {
    const messages = [
      ...history.flatMap((x) => [
        { role: 'user' as const, content: x.question },
        { role: 'assistant' as const, content: x.answer },
      ]),
      { role: 'user' as const, content: q },
    ];
    const body: Record<string, unknown> = { messages, stream: true };
    if (model) body.model = model;
    const events = await streamPost('/v1/chat/completions', body, signal);
    for await (const ev of events) {
      if (ev.data === '[DONE]') break;
      const chunk = JSON.parse(ev.data) as {
        model?: string;
        choices?: { delta?: { content?: string }; message?: { content?: string } }[];
        hiraga?: Omit<Governance, 'model'> & { model?: { id?: string; origin?: string; hosting?: string } };
        error?: { message?: string };
      };
      if (chunk.error) throw new Error(chunk.error.message ?? ev.data);
      const choice = chunk.choices?.[0];
      const text = choice?.delta?.content ?? '';
      const whole = choice?.message?.content;
      update(id, (x) => {
        const patch: Partial<Turn> = { answer: whole !== undefined ? whole : x.answer + text };
        if (chunk.hiraga || chunk.model) {
          const { model: served, ...facts } = chunk.hiraga ?? {};
          const used = served?.id ?? chunk.model ?? x.gov?.model ?? model;
          const info = modelInfo(used);
          patch.gov = {
            ...(x.gov ?? {}),
            ...facts,
            model: used,
            modelInfo: served?.origin ? { origin: served.origin, hosting: served.hosting } : (x.gov?.modelInfo ?? (info ? { origin: info.origin, hosting: info.hosting } : undefined)),
          };
        }
        return patch;
      });
    }
  }

  async function refreshReview(turn: Turn) {
    if (!turn.gov?.review) return;
    try {
      const item = await api<ReviewItem>(`/api/review/${turn.gov.review.id}`);
      update(turn.id, (x) => ({
        gov: { ...x.gov!, review: { id: item.id, status: item.status } },
        answer: item.status === 'approved' && item.output ? item.output : x.answer,
      }));
    } catch (err) {
      update(turn.id, { error: err });
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter makes a new line; never while an IME is composing.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      void send();
    }
  }

  const title = mode === 'qa' ? t('nav.qa') : t('nav.chat');
  const lead = mode === 'qa' ? t('chat.leadQa') : t('chat.leadChat');
  return (
    <>
      <PageTitle title={title} lead={lead} />
      <div className="chat-settings">
        <div className="field">
          <label htmlFor={`${formId}-collection`}>{t('chat.collection')}</label>
          <select
            id={`${formId}-collection`}
            value={selected}
            onChange={(e) => {
              setCollection(e.target.value);
              saveDraft(me.user, `${mode}.collection`, e.target.value);
            }}
            disabled={busy}
          >
            <option value={GENERAL}>{t('chat.noCollection')}</option>
            {(collections.data ?? []).map((c) => (
              <option key={c.name} value={c.name}>
                {t('chat.collectionOption', { name: c.name, documents: c.documents })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${formId}-model`}>{t('chat.model')}</label>
          <select id={`${formId}-model`} value={model} onChange={(e) => setModel(e.target.value)} disabled={busy}>
            <option value="">{t('chat.defaultModel')}</option>
            {(models.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.label ?? m.id}
                {m.origin ? ` (${t(`governance.origin.${m.origin}`)})` : ''}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNotice error={collections.error ?? models.error} />

      {turns.length && !busy ? (
        <p className="actions">
          <button
            type="button"
            className="btn btn-text btn-small"
            onClick={() => {
              setTurns([]);
              setStatus(t('chat.cleared'));
              inputRef.current?.focus();
            }}
          >
            {t('chat.clear')}
          </button>
        </p>
      ) : null}
      <section className="conversation" aria-label={t('chat.conversation')}>
        {turns.length === 0 ? <p className="muted">{selected ? t('chat.emptyQa', { name: selected }) : t('chat.empty')}</p> : null}
        {turns.map((turn) => (
          <article key={turn.id} className="turn" aria-label={t('chat.turn', { n: turn.id })}>
            <div className="bubble bubble-user">
              <h2 className="visually-hidden">{t('chat.you')}</h2>
              <p className="bubble-label" aria-hidden="true">
                {t('chat.you')}
              </p>
              <p className="pre">{turn.question}</p>
            </div>
            <div className="bubble bubble-answer" data-testid="chat-answer" aria-busy={turn.streaming} data-done={!turn.streaming}>
              <h2 className="visually-hidden">{t('chat.assistant')}</h2>
              <p className="bubble-label" aria-hidden="true">
                {t('chat.assistant')}
                {turn.collection ? <span className="muted"> · {t('chat.fromCollection', { name: turn.collection })}</span> : null}
              </p>
              {turn.gov?.review?.status === 'pending' ? (
                <div className="notice notice-warning">
                  <strong>{t('review.pendingBadge')}</strong> {t('review.heldExplain')}{' '}
                  <button type="button" className="btn btn-secondary btn-small" onClick={() => void refreshReview(turn)}>
                    {t('review.checkStatus')}
                  </button>
                </div>
              ) : null}
              {turn.answer ? <AnswerText text={turn.answer} citations={turn.citations} /> : turn.streaming ? <p className="muted">{t('chat.generating')}</p> : null}
              {turn.abstained ? <p className="notice notice-info">{t('chat.abstained')}</p> : null}
              {turn.gov ? <GovernanceBadges g={turn.gov} modelOrigin={modelInfo(turn.gov.model)} /> : null}
              <ErrorNotice error={turn.error} />
            </div>
          </article>
        ))}
      </section>

      <form className="composer" onSubmit={send} aria-label={t('chat.composer')}>
        <div className="field">
          <label htmlFor={`${formId}-q`}>{selected ? t('chat.questionLabel') : t('chat.messageLabel')}</label>
          <textarea
            id={`${formId}-q`}
            data-testid="chat-input"
            ref={inputRef}
            rows={3}
            value={question}
            onChange={(e) => setQuestion(e.target.value)}
            onKeyDown={onKeyDown}
            aria-describedby={`${formId}-hint`}
            placeholder={t('chat.placeholder')}
          />
          <p id={`${formId}-hint`} className="hint">
            {t('chat.hint')}
          </p>
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary" data-testid="chat-send" disabled={busy || !ready || !question.trim()}>
            {t('chat.send')}
          </button>
          {busy ? (
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => {
                abortRef.current?.abort();
                inputRef.current?.focus();
              }}
            >
              {t('chat.stop')}
            </button>
          ) : null}
        </div>
        <p className="visually-hidden" role="status" aria-live="polite">
          {status}
        </p>
      </form>
    </>
  );
}
