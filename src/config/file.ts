/**
 * pgsr configuration file: `key = value` lines in the style of postgresql.conf, `#` comments,
 * values optionally in single quotes. Keys are the long option names of the command line
 * (`primary-host = 192.168.1.10`). A key that may repeat (application-name) may appear on
 * several lines or hold a comma-separated list. A family of keys (`node.NAME = conninfo`) is
 * allowed when `node.*` is known; the name after the dot is kept as written.
 */
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../errors';
import { parseLang, setLang, t } from '../i18n';

/** Raw settings: key → value(s) exactly as written; `resolve.ts` validates and converts. */
export type RawSettings = Record<string, string | string[] | boolean | number | undefined>;

/**
 * Parses the text of a configuration file.
 * @param known keys that are allowed; any other key is an error naming its line.
 * @param repeatable keys whose values accumulate into a list.
 * @throws ConfigError naming the file and line for every malformed line or unknown key.
 */
export function parseConfigText(
  text: string,
  source: string,
  known: ReadonlySet<string>,
  repeatable: ReadonlySet<string>,
): RawSettings {
  const out: RawSettings = {};
  if (text.includes('\u0000')) throw new ConfigError(t('config.not_text', { source }));
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, idx) => {
    const where = t('config.line', { source, line: idx + 1 });
    const line = stripComment(raw).trim();
    if (line === '') return;
    const m = /^([A-Za-z][A-Za-z0-9_-]*)(\.[A-Za-z0-9_.-]+)?\s*=?\s*(.*)$/.exec(line);
    if (!m || !line.includes('=')) throw new ConfigError(t('config.expected_key_value', { where }));
    // `prefix.NAME = value` (e.g. `node.db1 = host=10.0.0.1`) when `prefix.*` is known; NAME is kept as written.
    const base = m[1].toLowerCase().replace(/_/g, '-');
    const key = m[2] ? `${base}${m[2]}` : base;
    if (m[2] ? !known.has(`${base}.*`) : !known.has(key))
      throw new ConfigError(t('config.unknown_setting', { where, key: `${m[1]}${m[2] ?? ''}` }));
    const value = unquote(m[3].trim(), where);
    if (repeatable.has(key)) {
      const list = (out[key] as string[] | undefined) ?? [];
      list.push(
        ...value
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      );
      out[key] = list;
    } else {
      out[key] = value;
    }
  });
  return out;
}

function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") quoted = !quoted;
    else if (c === '#' && !quoted) return line.slice(0, i);
  }
  return line;
}

function unquote(value: string, where: string): string {
  if (!value.startsWith("'")) return value;
  if (value.length < 2 || !value.endsWith("'")) throw new ConfigError(t('config.unterminated_quote', { where }));
  return value.slice(1, -1).replace(/''/g, "'");
}

/**
 * Reads and parses a configuration file.
 * @throws ConfigError when the file cannot be read (missing, unreadable, a directory) or is malformed.
 */
export function readConfigFile(path: string, known: ReadonlySet<string>, repeatable: ReadonlySet<string>): RawSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? t('config.no_such_file')
        : code === 'EACCES'
          ? t('config.permission_denied')
          : code === 'EISDIR'
            ? t('config.is_directory')
            : (code ?? t('config.unreadable'));
    throw new ConfigError(t('config.cannot_read', { path, why }));
  }
  return parseConfigText(text, t('config.file', { path }), known, repeatable);
}

/**
 * Puts a config file's `lang` in force (unless `--lang` chose): messages from here on are in it;
 * the file's own syntax errors came before and are in the locale's language.
 * @throws ConfigError when the value is not `en` or `ja`.
 */
export function applyFileLang(file: RawSettings, path: string | undefined): void {
  if (typeof file.lang !== 'string') return;
  const lang = parseLang(file.lang);
  if (!lang) throw new ConfigError(t('config.bad_lang', { file: String(path), value: file.lang }));
  setLang(lang, 'config');
}

/** Keys whose value is a program or command line pgsr runs (hooks, the alert command, how to reach other hosts). */
export const COMMAND_KEYS = [
  'post-promote-command',
  'on-failure',
  'remote-prefix',
  'remote-pgsr',
  'clplogcmd',
] as const;

/**
 * A configuration file that names a command must not let anyone else choose what root runs:
 * run as root, such a file must be owned by root (or the running user) and writable by nobody
 * else, as OpenSSH and sudo require of their files.
 * @throws ConfigError naming the file, its mode and owner, and the key, when it is not so.
 */
export function assertCommandFileSafe(path: string, settings: RawSettings, uid: number): void {
  if (uid !== 0) return;
  const key = COMMAND_KEYS.find((k) => settings[k] !== undefined);
  if (!key) return;
  const st = statSync(path);
  const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
  if ((st.mode & 0o022) !== 0 || (st.uid !== 0 && st.uid !== uid))
    throw new ConfigError(t('config.unsafe_command_file', { path, mode, uid: st.uid, key }));
}
