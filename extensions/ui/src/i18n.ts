// Translation through the console's own i18next instance (the global `t`, single-brace `{var}` placeholders).
// Outside the console (unit tests, storybook-like previews) the key's own placeholders are filled in.

export type TranslateOptions = Record<string, string | number>;
type ConsoleT = (key: string, options?: Record<string, unknown>) => string;

/** Fills `{name}` placeholders; unknown placeholders are left as they are. */
export function interpolate(text: string, options: TranslateOptions = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(options, name) ? String(options[name]) : whole,
  );
}

/**
 * The console's i18next escapes interpolated values as HTML (`a/b` came out as `a&#x2F;b` on the pages); React
 * escapes the text it renders, and nothing renders a translation as HTML, so the values go in as they are.
 */
const RAW_VALUES = { interpolation: { escapeValue: false } };

export function t(key: string, options?: TranslateOptions): string {
  const consoleT = (globalThis as { t?: ConsoleT }).t;
  if (typeof consoleT !== 'function') return interpolate(key, options);
  return options ? consoleT(key, { ...options, ...RAW_VALUES }) : consoleT(key);
}

export type LocaleTable = Record<string, string>;
export type Locales = { en: LocaleTable; zh: LocaleTable };

/** Merges locale tables in order; a later table's key wins. */
export function mergeLocales(...tables: Locales[]): Locales {
  return {
    en: Object.assign({}, ...tables.map((l) => l.en)) as LocaleTable,
    zh: Object.assign({}, ...tables.map((l) => l.zh)) as LocaleTable,
  };
}
