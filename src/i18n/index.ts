/**
 * The message language of pgsr (`--lang en|ja`) and the one message catalogue (./catalog.ts):
 * every human-readable text is `t(id, params)`. What machines read never goes through here: exit
 * codes, finding codes, event IDs, severity keywords, perfdata labels and units, JSON keys, step
 * names.
 *
 * The language is process-wide, set once before a command runs (like setlocale(3) for gettext):
 * main.ts from `--lang` or the locale variables, config/resolve.ts from the config file's `lang`,
 * the OCF agent from OCF_RESKEY_lang. Pure otherwise: this layer imports nothing of pgsr.
 */
import { CATALOG } from './catalog';

/** The languages of the catalogue. `en` is the default and the fallback. */
export type Lang = 'en' | 'ja';
export const LANGS: readonly Lang[] = ['en', 'ja'];

/** A message id: `<area>.<name>`, stable across releases (tests and translations key on it). */
export type MessageId = keyof typeof CATALOG;

/** The `{name}` placeholders of a template, as a union of names. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

/**
 * The parameters of a message: exactly its placeholders. Numbers are written with String(n)
 * in every language; quantities come pre-formatted (formatQuantity: `16.0 MiB`, `2.5 s`), so
 * figures and units read the same in English and Japanese.
 */
export type MessageParams<K extends MessageId> = Record<Placeholders<(typeof CATALOG)[K]['en']>, string | number>;

/** Where a language choice came from, in precedence order (a later source never overrides an earlier one). */
export type LangSource = 'flag' | 'config' | 'locale';
const RANK: Record<LangSource, number> = { locale: 0, config: 1, flag: 2 };

let current: Lang = 'en';
let currentRank = -1;

/**
 * Sets the process-wide message language unless a stronger source already chose: `--lang` beats
 * the config file's `lang`, which beats the locale (LC_ALL / LC_MESSAGES / LANG: the machine's
 * default, while the file is the operator's setting for pgsr). Without a source: set outright
 * (tests, the OCF agent's own parameter).
 */
export function setLang(lang: Lang, source?: LangSource): void {
  if (source === undefined) {
    current = lang;
    currentRank = -1;
    return;
  }
  if (RANK[source] < currentRank) return;
  current = lang;
  currentRank = RANK[source];
}

/** The message language in force. */
export function currentLang(): Lang {
  return current;
}

/**
 * The text of a message in the language in force (or `lang`), placeholders filled.
 * A placeholder without a parameter stays as `{name}` (the completeness test forbids that).
 */
export function t<K extends MessageId>(
  id: K,
  ...rest: Placeholders<(typeof CATALOG)[K]['en']> extends never
    ? [params?: undefined, lang?: Lang]
    : [params: MessageParams<K>, lang?: Lang]
): string {
  const [params, lang] = rest;
  const entry = CATALOG[id] as { en: string; ja: string };
  return fill(entry[lang ?? current] ?? entry.en, (params ?? {}) as Record<string, string | number>);
}

/** `primary`, `standby`, `server` in the message language (プライマリ / スタンバイ / サーバ); any other word as it is. */
export function roleWord(r: string): string {
  return r === 'primary'
    ? t('role.primary')
    : r === 'standby'
      ? t('role.standby')
      : r === 'server'
        ? t('role.server')
        : r;
}

/** Replaces `{name}` with params.name (String of numbers). */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** The placeholder names of a template, sorted and unique (for the completeness test). */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(/\{([A-Za-z][A-Za-z0-9_]*)\}/g)].map((m) => m[1]))].sort();
}

/**
 * The value of `--lang` among raw arguments (`--lang ja`, `--lang=ja`), before commander parses
 * them: the language must be in force for commander's own usage errors too. undefined if absent.
 */
export function langArgument(args: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') break;
    if (args[i] === '--lang') found = args[i + 1] ?? '';
    else if (args[i].startsWith('--lang=')) found = args[i].slice('--lang='.length);
  }
  return found;
}

/** `en`/`ja` (any case), or undefined for anything else. */
export function parseLang(value: string | undefined): Lang | undefined {
  const v = value?.trim().toLowerCase();
  return v === 'en' || v === 'ja' ? v : undefined;
}

/**
 * The language the locale asks for: the first set of LC_ALL, LC_MESSAGES, LANG (POSIX
 * precedence, XBD 8.2); `ja`, `ja_JP`, `ja_JP.UTF-8`, `ja_JP.eucJP`... → `ja`; anything else
 * (C, POSIX, en_US.UTF-8) → `en`. pgsr writes UTF-8 whatever the codeset says.
 */
export function langFromLocale(env: NodeJS.ProcessEnv): Lang {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return locale && /^ja([_.@-]|$)/i.test(locale) ? 'ja' : 'en';
}
