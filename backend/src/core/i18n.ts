import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Message catalogues for the backend's own errors, from `locales/{en,zh}/backend.json` (the translators' single
 * source, shared layout with the console extensions). `{var}` placeholders, as the console uses.
 */
export const LANGUAGES = ['en', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Catalogue = Record<string, string>;

const localesDir = fileURLToPath(new URL('../../../locales/', import.meta.url));

export function loadCatalogues(dir = localesDir): Record<Language, Catalogue> {
  const read = (lang: Language) =>
    JSON.parse(readFileSync(`${dir}/${lang}/backend.json`, 'utf8')) as Catalogue;
  return { en: read('en'), zh: read('zh') };
}

/** The best supported language for an Accept-Language header (q-values honoured), English when none fits. */
export function pickLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked.find((r) => (LANGUAGES as readonly string[]).includes(r.lang))?.lang as Language) ?? 'en';
}

/** Fills `{name}` placeholders; one without a value stays as written, so a missing parameter shows. */
export function format(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function createTranslator(catalogues: Record<Language, Catalogue>) {
  return (lang: Language, key: string, params: Record<string, unknown> = {}): string => {
    const template = catalogues[lang][key] ?? catalogues.en[key] ?? key;
    return format(template, params);
  };
}
export type Translate = ReturnType<typeof createTranslator>;

let shipped: Record<Language, Catalogue> | undefined;
/** The shipped catalogues, read once per process (app.ts translates with them, englishText below too). */
export const shippedCatalogues = (): Record<Language, Catalogue> => (shipped ??= loadCatalogues());

/**
 * A message in English, from the en catalogue: for texts a pure module returns before anyone knows the caller's
 * language (a FieldProblem's `message`, read in logs and by API clients that do not localize).
 */
export const englishText = (key: string, params: Record<string, unknown>): string =>
  createTranslator(shippedCatalogues())('en', key, params);
