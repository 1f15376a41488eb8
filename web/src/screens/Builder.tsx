import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import type { AppInput, AppRunResult, AppSummary } from '../api/types';
import { AppForm } from '../components/AppForm';
import { ErrorNotice } from '../components/ErrorNotice';
import { PageTitle } from '../components/PageTitle';
import { RunResult } from '../components/RunResult';
import { useI18n } from '../i18n';
import { href } from '../routes';

interface Definition {
  id: string;
  title: string;
  description: string;
  prompt: string;
  inputs: AppInput[];
  review: boolean;
}

const START: Definition = {
  id: '',
  title: '',
  description: '',
  prompt: '',
  inputs: [{ name: 'text', label: '', type: 'textarea', required: true }],
  review: false,
};

/** アプリ作成: an app definition form with a live test pane (test runs are audited like any run). */
export function BuilderScreen() {
  const { t } = useI18n();
  const fid = useId();
  const [def, setDef] = useState<Definition>(START);
  const [saved, setSaved] = useState<AppSummary>();
  const [error, setError] = useState<unknown>();
  const [testResult, setTestResult] = useState<AppRunResult>();
  const [testError, setTestError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // One save at a time: a double click sent the definition twice. And a definition just saved is not sent again:
  // on a fast server the first save can finish between the two clicks of a double click.
  const [saving, setSaving] = useState(false);
  const savingRef = useRef(false);
  const lastSaved = useRef<string | null>(null);
  const set = <K extends keyof Definition>(k: K, v: Definition[K]) => setDef((d) => ({ ...d, [k]: v }));
  const setInput = (i: number, patch: Partial<AppInput>) => set('inputs', def.inputs.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  const body = useMemo(
    () => ({
      id: def.id.trim(),
      title: def.title.trim(),
      description: def.description.trim(),
      prompt: def.prompt,
      inputs: def.inputs.filter((i) => i.name.trim()).map((i) => ({ ...i, label: i.label?.trim() || i.name })),
      review: def.review,
    }),
    [def],
  );
  const missing = def.inputs.filter((i) => i.name && !new RegExp(`\\{\\{\\s*${i.name}\\s*\\}\\}`).test(def.prompt)).map((i) => i.name);

  async function save(e?: FormEvent) {
    e?.preventDefault();
    if (savingRef.current) return false;
    const text = JSON.stringify(body);
    if (saved && lastSaved.current === text) return true;
    savingRef.current = true;
    setSaving(true);
    setError(undefined);
    try {
      setSaved(await api<AppSummary>('/api/apps', { body }));
      lastSaved.current = text;
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      savingRef.current = false;
      setSaving(false);
    }
  }

  async function test(inputs: Record<string, string>) {
    setBusy(true);
    setTestError(undefined);
    setTestResult(undefined);
    try {
      try {
        // Run the unsaved definition (POST /api/apps/test, docs/api.md); nothing is saved. A name is not needed to try it.
        setTestResult(await api<AppRunResult>('/api/apps/test', { body: { app: { ...body, title: body.title || body.id }, inputs } }));
      } catch (err) {
        if (!(err instanceof ApiError && (err.status === 404 || err.status === 405))) throw err;
        // Older servers: save, then run the stored app.
        if (await save()) setTestResult(await api<AppRunResult>(`/api/apps/${encodeURIComponent(body.id)}/run`, { body: { inputs } }));
      }
    } catch (err) {
      setTestError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle title={t('nav.builder')} lead={t('builder.lead')} />
      <div className="split split-even">
        <form className="builder-form" onSubmit={save} aria-labelledby={`${fid}-def`}>
          <h2 id={`${fid}-def`}>{t('builder.definition')}</h2>
          <div className="field">
            <label htmlFor={`${fid}-id`}>
              {t('builder.id')}
              <span className="required">{t('common.required')}</span>
            </label>
            <input id={`${fid}-id`} required pattern="[a-z][a-z0-9_\-]*" aria-describedby={`${fid}-id-hint`} value={def.id} onChange={(e) => set('id', e.target.value)} />
            <p className="hint" id={`${fid}-id-hint`}>
              {t('builder.idHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${fid}-title`}>
              {t('builder.titleField')}
              <span className="required">{t('common.required')}</span>
            </label>
            <input id={`${fid}-title`} required value={def.title} onChange={(e) => set('title', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${fid}-desc`}>{t('builder.description')}</label>
            <input id={`${fid}-desc`} value={def.description} onChange={(e) => set('description', e.target.value)} />
          </div>
          <fieldset>
            <legend>{t('builder.inputs')}</legend>
            {def.inputs.map((inp, i) => (
              <div className="input-row" key={i}>
                <div className="field">
                  <label htmlFor={`${fid}-in-${i}-name`}>{t('builder.inputName', { n: i + 1 })}</label>
                  <input id={`${fid}-in-${i}-name`} value={inp.name} pattern="[A-Za-z][A-Za-z0-9_]*" onChange={(e) => setInput(i, { name: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor={`${fid}-in-${i}-label`}>{t('builder.inputLabel', { n: i + 1 })}</label>
                  <input id={`${fid}-in-${i}-label`} value={inp.label ?? ''} onChange={(e) => setInput(i, { label: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor={`${fid}-in-${i}-type`}>{t('builder.inputType', { n: i + 1 })}</label>
                  <select id={`${fid}-in-${i}-type`} value={inp.type ?? 'textarea'} onChange={(e) => setInput(i, { type: e.target.value })}>
                    <option value="textarea">{t('builder.typeTextarea')}</option>
                    <option value="text">{t('builder.typeText')}</option>
                  </select>
                </div>
                <button type="button" className="btn btn-text" onClick={() => set('inputs', def.inputs.filter((_, j) => j !== i))} disabled={def.inputs.length <= 1}>
                  {t('builder.removeInput', { n: i + 1 })}
                </button>
              </div>
            ))}
            <button type="button" className="btn btn-secondary btn-small" onClick={() => set('inputs', [...def.inputs, { name: '', label: '', type: 'textarea', required: true }])}>
              {t('builder.addInput')}
            </button>
          </fieldset>
          <div className="field">
            <label htmlFor={`${fid}-prompt`}>
              {t('builder.prompt')}
              <span className="required">{t('common.required')}</span>
            </label>
            <textarea id={`${fid}-prompt`} rows={8} required aria-describedby={`${fid}-prompt-hint`} value={def.prompt} onChange={(e) => set('prompt', e.target.value)} />
            <p className="hint" id={`${fid}-prompt-hint`}>
              {t('builder.promptHint')}
            </p>
            {missing.length ? <p className="notice notice-info">{t('builder.unusedInputs', { names: missing.join(', ') })}</p> : null}
          </div>
          <div className="field-check">
            <input id={`${fid}-review`} type="checkbox" checked={def.review} onChange={(e) => set('review', e.target.checked)} />
            <label htmlFor={`${fid}-review`}>{t('builder.review')}</label>
          </div>
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={saving}>
              {saving ? t('common.working') : t('builder.save')}
            </button>
          </div>
          <ErrorNotice error={error} />
          {saved ? (
            <p className="notice notice-success" role="status">
              {t('builder.saved', { title: saved.title ?? body.title })} <a href={href('docs', saved.id ?? body.id)}>{t('builder.open')}</a>
            </p>
          ) : null}
          <details>
            <summary>{t('builder.json')}</summary>
            <pre className="code">{JSON.stringify(body, null, 2)}</pre>
          </details>
        </form>
        <section className="test-pane" aria-labelledby={`${fid}-test`}>
          <h2 id={`${fid}-test`}>{t('builder.testPane')}</h2>
          <p className="small">{t('builder.testExplain')}</p>
          {body.inputs.length && body.id && body.prompt ? (
            <AppForm key={body.inputs.map((i) => i.name).join('|')} inputs={body.inputs} busy={busy} submitLabel={t('builder.test')} onSubmit={(v) => void test(v)} />
          ) : (
            <p className="muted">{t('builder.testNeeds')}</p>
          )}
          <ErrorNotice error={testError} />
          {testResult ? <RunResult result={testResult} appTitle={body.title || body.id} /> : null}
        </section>
      </div>
    </>
  );
}
