/**
 * The message catalogue (src/i18n): every id has both languages, the same placeholders in both,
 * no id twice; the language choice (flag > config file > locale) and the locale rule.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOG, CATALOG_PARTS } from '../../src/i18n/catalog';
import {
  fill,
  langArgument,
  langFromLocale,
  parseLang,
  placeholdersOf,
  setLang,
  t,
  currentLang,
  type MessageId,
} from '../../src/i18n';

/** Entries whose Japanese text is legitimately the same as the English one (names, separators). */
const SAME_IN_BOTH = new Set<string>(['alert.head']);
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/;

describe('message catalogue', () => {
  const ids = Object.keys(CATALOG) as MessageId[];
  it('has messages', () => {
    expect(ids.length).toBeGreaterThan(100);
  });
  it('defines no id twice across its parts', () => {
    const seen = new Map<string, number>();
    for (const part of CATALOG_PARTS) for (const id of Object.keys(part)) seen.set(id, (seen.get(id) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1).map(([id]) => id)).toEqual([]);
    expect(CATALOG_PARTS.reduce((n, p) => n + Object.keys(p).length, 0)).toBe(ids.length);
  });
  it('has both languages for every id, non-empty, and Japanese where it is Japanese', () => {
    const bad: string[] = [];
    for (const id of ids) {
      const e = CATALOG[id] as { en?: string; ja?: string };
      if (typeof e.en !== 'string' || typeof e.ja !== 'string' || (e.en.trim() === '' && e.en !== e.ja))
        bad.push(`${id}: missing a language`);
      else if (
        !SAME_IN_BOTH.has(id) &&
        e.en.trim() !== '' &&
        /[a-z]{3}/i.test(e.en.replace(/\{[^}]+\}/g, '')) &&
        !JAPANESE.test(e.ja)
      )
        bad.push(`${id}: ja is not translated`);
    }
    expect(bad).toEqual([]);
  });
  it('uses the same placeholders in both languages', () => {
    const bad = ids.filter(
      (id) => placeholdersOf(CATALOG[id].en).join(',') !== placeholdersOf(CATALOG[id].ja).join(','),
    );
    expect(
      bad.map((id) => `${id}: en {${placeholdersOf(CATALOG[id].en)}} ja {${placeholdersOf(CATALOG[id].ja)}}`),
    ).toEqual([]);
  });
  it('leaves no placeholder unfilled when every parameter is given', () => {
    for (const id of ids) {
      const params = Object.fromEntries(placeholdersOf(CATALOG[id].en).map((p) => [p, 'X']));
      for (const lang of ['en', 'ja'] as const)
        expect(fill(CATALOG[id][lang], params)).not.toMatch(/\{[A-Za-z][A-Za-z0-9_]*\}/);
    }
  });
  it('keeps ids stable in form: <area>.<name>', () => {
    expect(ids.filter((id) => !/^[a-z]+\.[a-z0-9_]+$/.test(id))).toEqual([]);
  });
  it('a missing parameter shows as its placeholder (and the check above can fail)', () => {
    expect(fill('standby "{name}" lag {quantity}', { name: 'b' })).toBe('standby "b" lag {quantity}');
    expect(placeholdersOf('{a} {b} {a}')).toEqual(['a', 'b']);
  });
});

describe('language choice', () => {
  afterEach(() => setLang('en'));
  it('reads the locale as POSIX does: LC_ALL, then LC_MESSAGES, then LANG', () => {
    expect(langFromLocale({ LANG: 'ja_JP.UTF-8' })).toBe('ja');
    expect(langFromLocale({ LANG: 'ja_JP.eucJP' })).toBe('ja');
    expect(langFromLocale({ LANG: 'ja' })).toBe('ja');
    expect(langFromLocale({ LC_ALL: 'C', LANG: 'ja_JP.UTF-8' })).toBe('en');
    expect(langFromLocale({ LC_MESSAGES: 'ja_JP.UTF-8', LANG: 'en_US.UTF-8' })).toBe('ja');
    expect(langFromLocale({ LC_ALL: '', LANG: 'ja_JP.utf8' })).toBe('ja');
    expect(langFromLocale({})).toBe('en');
    expect(langFromLocale({ LANG: 'jav_ID' })).toBe('en');
  });
  it('finds --lang among raw arguments', () => {
    expect(langArgument(['check', '--lang', 'ja'])).toBe('ja');
    expect(langArgument(['check', '--lang=en', '-h', 'x'])).toBe('en');
    expect(langArgument(['check', '--lang'])).toBe('');
    expect(langArgument(['check', '--', '--lang', 'ja'])).toBeUndefined();
    expect(parseLang('JA')).toBe('ja');
    expect(parseLang('jp')).toBeUndefined();
  });
  it('lets the flag beat the config file, and the config file beat the locale', () => {
    setLang('en');
    setLang('ja', 'locale');
    expect(currentLang()).toBe('ja');
    setLang('en', 'config');
    expect(currentLang()).toBe('en');
    setLang('ja', 'locale');
    expect(currentLang()).toBe('en');
    setLang('ja', 'flag');
    setLang('en', 'config');
    expect(currentLang()).toBe('ja');
  });
  it('formats figures the same in both languages', () => {
    setLang('ja');
    expect(t('finding.replay_lag', { quantity: '16.0 MiB' })).toBe('再生遅延 16.0 MiB');
    expect(t('finding.replay_lag', { quantity: '16.0 MiB' }, 'en')).toBe('replay lag 16.0 MiB');
  });
});
