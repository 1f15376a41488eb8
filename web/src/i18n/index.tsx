import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import ja from '../locales/ja.json';
import en from '../locales/en.json';

/** UI strings live in locales/{ja,en}.json; components only ever call t('dotted.key'). */
export type Locale = 'ja' | 'en';
type Tree = { [k: string]: string | Tree };
const LOCALES: Record<Locale, Tree> = { ja: ja as Tree, en: en as Tree };
const STORAGE = 'hiraga.locale';

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

export function translate(locale: Locale, key: string, vars?: Record<string, string | number>): string {
  const raw = lookup(LOCALES[locale], key) ?? lookup(LOCALES.ja, key) ?? key;
  if (!vars) return raw;
  return raw.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** t() for a key that may not exist (e.g. a server-provided enum value): falls back to the value. */
export function translateOr(locale: Locale, key: string, fallback: string): string {
  return lookup(LOCALES[locale], key) ?? lookup(LOCALES.ja, key) ?? fallback;
}

interface I18n {
  locale: Locale;
  setLocale(l: Locale): void;
  t: Translate;
  tOr(key: string, fallback: string): string;
  formatNumber(n: number, digits?: number): string;
  formatDate(iso: string): string;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => (localStorage.getItem(STORAGE) === 'en' ? 'en' : 'ja'));
  // The title is the screen's (the shell and the login screen set it): set here too, this effect — the parent's,
  // run after theirs — replaced it with the bare app title on every language switch.
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const setLocale = useCallback((l: Locale) => {
    localStorage.setItem(STORAGE, l);
    setLocaleState(l);
  }, []);
  const value = useMemo<I18n>(() => {
    const tag = locale === 'ja' ? 'ja-JP' : 'en-GB';
    return {
      locale,
      setLocale,
      t: (key, vars) => translate(locale, key, vars),
      tOr: (key, fallback) => translateOr(locale, key, fallback),
      formatNumber: (n, digits = 0) =>
        new Intl.NumberFormat(tag, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n),
      formatDate: (iso) => {
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'medium' }).format(d);
      },
    };
  }, [locale, setLocale]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
