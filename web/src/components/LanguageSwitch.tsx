import { useI18n } from '../i18n';

/** 日本語 ⇄ English. The label is in the target language, marked with its lang. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  // The visible name is the target language's own name, marked with its lang (no aria-label: label-in-name).
  const next = locale === 'ja' ? 'en' : 'ja';
  return (
    <button type="button" className="btn btn-secondary btn-small lang-switch" onClick={() => setLocale(next)}>
      <span lang={next}>{t('shell.switchLanguage')}</span>
    </button>
  );
}
