import { useEffect, useId, useState, type FormEvent } from 'react';
import { messageIn } from '../api/messages';
import type { AppInput } from '../api/types';
import { loadDraft, saveDraft } from '../drafts';
import { useI18n } from '../i18n';
import { useSession } from '../session';

export const DEFAULT_INPUTS: AppInput[] = [{ name: 'text', type: 'textarea', required: true }];

/** A form generated from an app's declared inputs. */
export function AppForm({
  inputs,
  busy,
  submitLabel,
  onSubmit,
  draft,
}: {
  inputs: AppInput[];
  busy: boolean;
  submitLabel: string;
  onSubmit(values: Record<string, string>): void;
  /** Keep what was typed under this name (this tab), so leaving the screen or reloading does not lose it. */
  draft?: string;
}) {
  const { t, tOr, locale } = useI18n();
  const { me } = useSession();
  const id = useId();
  const [values, setValues] = useState<Record<string, string>>(() => {
    if (!draft) return {};
    try {
      const kept: unknown = JSON.parse(loadDraft(me.user, draft) ?? '{}');
      return kept && typeof kept === 'object' && !Array.isArray(kept) ? (kept as Record<string, string>) : {};
    } catch {
      return {};
    }
  });
  useEffect(() => {
    if (draft) saveDraft(me.user, draft, Object.values(values).some((v) => v) ? JSON.stringify(values) : null);
  }, [draft, me.user, values]);
  const set = (name: string, v: string) => setValues((all) => ({ ...all, [name]: v }));
  function submit(e: FormEvent) {
    e.preventDefault();
    const filled: Record<string, string> = {};
    for (const i of inputs) filled[i.name] = values[i.name] ?? (i.default !== undefined ? String(i.default) : (i.options?.[0] ?? ''));
    onSubmit(filled);
  }
  return (
    <form className="app-form" onSubmit={submit}>
      {inputs.map((i) => {
        const fid = `${id}-${i.name}`;
        const label = i.label ? messageIn(i.label, locale) : tOr(`apps.input.${i.name}`, i.name);
        const required = i.required === true;
        const value = values[i.name] ?? (i.default !== undefined ? String(i.default) : '');
        const hint = i.help ? { 'aria-describedby': `${fid}-help` } : {};
        return (
          <div className="field" key={i.name}>
            <label htmlFor={fid}>
              {label}
              {required ? <span className="required">{t('common.required')}</span> : null}
            </label>
            {i.options?.length ? (
              <select id={fid} {...hint} value={value || i.options[0]} onChange={(e) => set(i.name, e.target.value)}>
                {i.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : i.type === 'text' || i.type === 'number' ? (
              <input id={fid} {...hint} type={i.type === 'number' ? 'number' : 'text'} required={required} value={value} placeholder={i.placeholder && messageIn(i.placeholder, locale)} onChange={(e) => set(i.name, e.target.value)} />
            ) : (
              <textarea id={fid} {...hint} rows={8} required={required} value={value} placeholder={i.placeholder && messageIn(i.placeholder, locale)} onChange={(e) => set(i.name, e.target.value)} />
            )}
            {i.help ? (
              <p className="hint" id={`${fid}-help`}>
                {messageIn(i.help, locale)}
              </p>
            ) : null}
          </div>
        );
      })}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('common.working') : submitLabel}
        </button>
      </div>
    </form>
  );
}
