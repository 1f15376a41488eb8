import { Fragment, useId, useRef, useState, type ReactNode } from 'react';
import type { Citation } from '../api/types';
import { useI18n } from '../i18n';

const MARKER = /\[(\d+(?:\s*[,、]\s*\d+)*)\]/g;

/**
 * An answer with its numbered citations: every [n] becomes a button (data-testid="citation")
 * that opens the cited passage below the answer. When the text has no markers, the citations
 * are listed after it as [1] [2] ….
 */
export function AnswerText({ text, citations }: { text: string; citations: Citation[] }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<number | null>(null);
  const baseId = useId();
  const textRef = useRef<HTMLDivElement>(null);
  /** Closing the passage hides the focused button: give focus back to the [n] that opened it. */
  function close() {
    const n = open;
    setOpen(null);
    textRef.current?.querySelector<HTMLElement>(`button[data-n="${n}"]`)?.focus();
  }
  const panelId = `${baseId}-passage`;

  const marker = (n: number, key: string) => {
    const c = citations[n - 1];
    if (!c) return <Fragment key={key}>[{n}]</Fragment>;
    const expanded = open === n;
    return (
      <button
        key={key}
        type="button"
        className="citation"
        data-testid="citation"
        data-n={n}
        aria-expanded={expanded}
        aria-controls={panelId}
        aria-label={t('chat.citationLabel', { n, source: c.source })}
        onClick={() => (expanded ? close() : setOpen(n))}
      >
        [{n}]
      </button>
    );
  };

  const parts: ReactNode[] = [];
  let last = 0;
  let found = false;
  for (const m of text.matchAll(MARKER)) {
    const nums = m[1]!.split(/[,、]/).map((s) => Number(s.trim()));
    if (!nums.every((n) => n >= 1 && n <= citations.length)) continue;
    found = true;
    parts.push(text.slice(last, m.index));
    nums.forEach((n, i) => parts.push(marker(n, `${m.index}-${i}`)));
    last = m.index! + m[0].length;
  }
  parts.push(text.slice(last));
  if (!found && citations.length) {
    parts.push(' ');
    citations.forEach((_, i) => parts.push(marker(i + 1, `end-${i}`)));
  }

  const cited = open ? citations[open - 1] : undefined;
  return (
    <>
      <div className="answer-text" ref={textRef}>
        {parts}
      </div>
      <div id={panelId} className="passage" hidden={!cited} role="region" aria-label={t('chat.passage')}>
        {cited ? (
          <>
            <p className="passage-source">
              <span className="badge badge-plain">[{open}]</span> <strong>{cited.source}</strong>
              {cited.heading ? <span className="muted"> — {cited.heading}</span> : null}
              <span className="muted"> {t('chat.chunk', { n: cited.chunk })}</span>
            </p>
            <blockquote>{cited.quote}</blockquote>
            <button type="button" className="btn btn-text" onClick={close}>
              {t('common.close')}
            </button>
          </>
        ) : null}
      </div>
      {citations.length ? (
        <details className="sources">
          <summary>{t('chat.sources', { n: citations.length })}</summary>
          <ol>
            {citations.map((c, i) => (
              <li key={i}>
                {c.source}
                {c.heading ? <span className="muted"> — {c.heading}</span> : null}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </>
  );
}
