import { Fragment, type ReactNode } from 'react';
import { useI18n } from '../i18n';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const short = (hash: unknown) => (typeof hash === 'string' ? `${hash.slice(0, 16)}…` : '');

/**
 * The signed provenance manifest of an app run (hiraga-provenance/1) as named facts — when, by which software and
 * model, the input's and the file's fingerprints, the audit event, the signature — not as raw manifest keys.
 * A field this list does not know is shown under its own name.
 */
export function ProvenanceList({ manifest, skip = [] }: { manifest: Obj; /** Fields already shown above. */ skip?: string[] }) {
  const { t, tOr, formatDate } = useI18n();
  const value = (k: string, v: unknown): ReactNode => {
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return k === 'model' ? t('governance.noModel') : '—';
    if (k === 'created' && typeof v === 'string') return formatDate(v);
    if (k === 'claim_generator' && isObj(v)) return [v.name, v.version].filter(Boolean).join(' ');
    if (k === 'input' && isObj(v) && v.sha256) return <code title={String(v.sha256)}>SHA-256 {short(v.sha256)}</code>;
    if (k === 'output' && isObj(v))
      return (
        <>
          {v.file ? `${String(v.file)} · ` : null}
          <code title={String(v.sha256 ?? '')}>SHA-256 {short(v.sha256)}</code>
        </>
      );
    if (k === 'signature' && isObj(v)) return t('apps.prov.signatureValue', { alg: String(v.alg ?? ''), key: String(v.key_id ?? '') });
    if (k === 'audit_event_id') return `#${String(v)}`;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    return <code className="wrap">{JSON.stringify(v)}</code>;
  };
  return (
    <>
      {Object.entries(manifest)
        .filter(([k]) => !skip.includes(k))
        .map(([k, v]) => (
          <Fragment key={k}>
            <dt>{tOr(`apps.prov.${k}`, k)}</dt>
            <dd>{value(k, v)}</dd>
          </Fragment>
        ))}
    </>
  );
}
