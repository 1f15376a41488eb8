import { useId, useState, type FormEvent } from 'react';
import type { AppInput } from '../api/types';
import { useI18n } from '../i18n';

export const DEFAULT_INPUTS: AppInput[] = [{ name: 'text', type: 'textarea', required: true }];

/** A form generated from an app's declared inputs. */
export function AppForm({
  inputs,
  busy,
  submitLabel,
  onSubmit,
}: {
  inputs: AppInput[];
  busy: boolean;
  submitLabel: string;
  onSubmit(values: Record<string, string>): void;
}) {
  const { t, tOr } = useI18n();
  const id = useId();
  const [values, setValues] = useState<Record<string, string>>({});
  const set = (name: string, v: string) => setValues((all) => ({ ...all, [name]: v }));
  function submit(e: FormEvent) {
    e.preventDefault();
    const filled: Record<string, string> = {};
    for (const i of inputs) filled[i.name] = values[i.name] ?? (i.options?.[0] ?? '');
    onSubmit(filled);
  }
  return (
    <form className="app-form" onSubmit={submit}>
      {inputs.map((i) => {
        const fid = `${id}-${i.name}`;
        const label = i.label ?? tOr(`apps.input.${i.name}`, i.name);
        const required = i.required !== false;
        return (
          <div className="field" key={i.name}>
            <label htmlFor={fid}>
              {label}
              {required ? <span className="required">{t('common.required')}</span> : null}
            </label>
            {i.options?.length ? (
              <select id={fid} value={values[i.name] ?? i.options[0]} onChange={(e) => set(i.name, e.target.value)}>
                {i.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : i.type === 'text' || i.type === 'string' || i.type === 'line' ? (
              <input id={fid} type="text" required={required} value={values[i.name] ?? ''} placeholder={i.placeholder} onChange={(e) => set(i.name, e.target.value)} />
            ) : (
              <textarea id={fid} rows={8} required={required} value={values[i.name] ?? ''} placeholder={i.placeholder} onChange={(e) => set(i.name, e.target.value)} />
            )}
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
