/**
 * libpq connection strings: the `keyword = value` form and the `postgresql://` URI form
 * (PostgreSQL docs 34.1.1, "Connection Strings"). Pure module.
 */
import { t } from '../i18n';

/**
 * Every connection keyword libpq knows (PostgreSQL 18 docs 32.1.2, "Parameter Key Words"),
 * except the secrets, which are never accepted on a command line or in a file pgsr reads
 * (password, sslpassword, oauth_client_secret: see SECRET_KEYWORDS). A conninfo pgsr writes for
 * the server (primary_conninfo) may carry any of them: the server's libpq reads it.
 */
export const LIBPQ_KEYWORDS = [
  'host',
  'hostaddr',
  'port',
  'dbname',
  'user',
  'passfile',
  'require_auth',
  'channel_binding',
  'connect_timeout',
  'client_encoding',
  'options',
  'application_name',
  'fallback_application_name',
  'keepalives',
  'keepalives_idle',
  'keepalives_interval',
  'keepalives_count',
  'tcp_user_timeout',
  'replication',
  'gssencmode',
  'sslmode',
  'requiressl',
  'sslnegotiation',
  'sslcompression',
  'sslcert',
  'sslkey',
  'sslkeylogfile',
  'sslcertmode',
  'sslrootcert',
  'sslcrl',
  'sslcrldir',
  'sslsni',
  'requirepeer',
  'ssl_min_protocol_version',
  'ssl_max_protocol_version',
  'min_protocol_version',
  'max_protocol_version',
  'krbsrvname',
  'gsslib',
  'gssdelegation',
  'service',
  'target_session_attrs',
  'load_balance_hosts',
  'oauth_issuer',
  'oauth_client_id',
  'oauth_scope',
] as const;

/** Secrets: refused wherever pgsr reads a conninfo (use ~/.pgpass, PGPASSFILE or PGPASSWORD). */
export const SECRET_KEYWORDS = ['password', 'sslpassword', 'oauth_client_secret'] as const;

/**
 * The keywords pgsr's own connections (node-postgres) honour. Any other libpq keyword in the
 * conninfo of pgsr's own connection is a configuration error naming it (ownConnectionProblem).
 * `target_session_attrs=any` and `keepalives_interval/count`, `tcp_user_timeout` are not in it:
 * node-postgres has no such settings.
 */
export const CONNINFO_KEYWORDS = [
  'host',
  'hostaddr',
  'port',
  'user',
  'dbname',
  'sslmode',
  'sslrootcert',
  'sslcert',
  'sslkey',
  'application_name',
  'fallback_application_name',
  'connect_timeout',
  'passfile',
  'keepalives',
  'keepalives_idle',
  'client_encoding',
] as const;
export type LibpqKeyword = (typeof LIBPQ_KEYWORDS)[number];
export type ConninfoKeyword = (typeof CONNINFO_KEYWORDS)[number];

/** Parsed connection string: keyword → value, only the keywords present. */
export type Conninfo = Partial<Record<LibpqKeyword, string>>;

/**
 * The first keyword of a conninfo that pgsr's own connection cannot honour, as a one-line
 * message naming it; undefined when every keyword is honoured.
 */
export function ownConnectionProblem(info: Conninfo): string | undefined {
  for (const k of Object.keys(info)) {
    if ((CONNINFO_KEYWORDS as readonly string[]).includes(k)) continue;
    if (k === 'target_session_attrs' && info.target_session_attrs === 'any') continue;
    return t('config.not_for_own_connection', { key: k });
  }
  return undefined;
}

/** True when libpq would expand this `dbname` value as a connection string (docs 34.1.2). */
export function looksLikeConninfo(text: string): boolean {
  return /^postgres(ql)?:\/\//.test(text) || text.includes('=');
}

function accept(out: Conninfo, key: string, value: string): void {
  if ((SECRET_KEYWORDS as readonly string[]).includes(key)) {
    throw new Error(
      t('config.secret_in_conninfo', {
        what: key === 'password' ? t('config.password_word') : t('config.secret_word', { key }),
      }),
    );
  }
  if (!(LIBPQ_KEYWORDS as readonly string[]).includes(key)) {
    throw new Error(t('config.invalid_option', { key }));
  }
  out[key as LibpqKeyword] = value;
}

/**
 * Parses a connection string in either form.
 * @throws Error (one line, no secrets echoed) on syntax errors, unknown keywords, a password,
 *   or a multi-host URI (pgsr addresses exactly one server).
 */
export function parseConninfo(text: string): Conninfo {
  return /^postgres(ql)?:\/\//.test(text) ? parseUri(text) : parseKeywordValue(text);
}

function parseKeywordValue(text: string): Conninfo {
  const out: Conninfo = {};
  let i = 0;
  const n = text.length;
  const skipSpace = () => {
    while (i < n && /\s/.test(text[i])) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= n) break;
    const keyStart = i;
    while (i < n && /[A-Za-z0-9_]/.test(text[i])) i++;
    const key = text.slice(keyStart, i);
    if (key === '') throw new Error(t('config.malformed_at', { position: keyStart + 1 }));
    skipSpace();
    if (text[i] !== '=') throw new Error(t('config.missing_equals', { key }));
    i++;
    skipSpace();
    let value = '';
    if (text[i] === "'") {
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i];
        if (c === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else if (c === "'") {
          i++;
          closed = true;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) throw new Error(t('config.unterminated_conninfo'));
    } else {
      while (i < n && !/\s/.test(text[i])) {
        if (text[i] === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else {
          value += text[i];
          i++;
        }
      }
    }
    accept(out, key, value);
  }
  return out;
}

function parseUri(text: string): Conninfo {
  const m = /^postgres(?:ql)?:\/\/([^/?#]*)(.*)$/s.exec(text);
  const authority = m?.[1] ?? '';
  if (authority.includes(',')) throw new Error(t('config.several_hosts'));
  // WHATWG URL needs a host; parse with a placeholder when the URI has none (libpq's default host).
  const at = authority.lastIndexOf('@');
  const userinfo = authority.slice(0, at + 1);
  const hostport = authority.slice(at + 1);
  const hostless = hostport === '' || hostport.startsWith(':');
  let url: URL;
  try {
    url = new URL(`http://${userinfo}${hostless ? `placeholder.invalid${hostport}` : hostport}${m?.[2] ?? ''}`);
  } catch {
    throw new Error(t('config.malformed_uri'));
  }
  const out: Conninfo = {};
  if (url.password !== '') {
    throw new Error(t('config.password_in_uri'));
  }
  if (url.username !== '') accept(out, 'user', decodeURIComponent(url.username));
  if (!hostless && url.hostname !== '')
    accept(out, 'host', decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1'));
  if (url.port !== '') accept(out, 'port', url.port);
  const path = url.pathname.replace(/^\//, '');
  if (path !== '') accept(out, 'dbname', decodeURIComponent(path));
  for (const [k, v] of url.searchParams) accept(out, k, v);
  return out;
}

/**
 * Reads host, port, user, dbname and application_name out of a conninfo written by someone else
 * (a server's primary_conninfo, pg_stat_wal_receiver.conninfo): unknown keywords and any password
 * are ignored instead of refused, and malformed text gives an empty result. Never throws.
 */
export function addressOf(text: string): Pick<Conninfo, 'host' | 'port' | 'user' | 'dbname' | 'application_name'> {
  const out: Pick<Conninfo, 'host' | 'port' | 'user' | 'dbname' | 'application_name'> = {};
  try {
    if (/^postgres(ql)?:\/\//.test(text)) {
      const safe = text.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/, '$1@');
      const parsed = parseUri(
        safe.replace(/([?&])(password|[a-z_]+)=[^&]*/g, (m, sep: string, k: string) =>
          (LIBPQ_KEYWORDS as readonly string[]).includes(k) ? m : sep,
        ),
      );
      return {
        host: parsed.host,
        port: parsed.port,
        user: parsed.user,
        dbname: parsed.dbname,
        application_name: parsed.application_name,
      };
    }
    const re = /([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const key = m[1];
      const value = m[2].startsWith("'") ? m[2].slice(1, -1).replace(/\\(.)/g, '$1') : m[2];
      if (key === 'host' || key === 'port' || key === 'user' || key === 'dbname' || key === 'application_name')
        out[key] = value;
      if (key === 'hostaddr' && out.host === undefined) out.host = value;
    }
  } catch {
    return {};
  }
  return out;
}

/**
 * A standby's primary_conninfo with `application_name` set to `name` when it has none (an
 * explicit one is kept): the primary names its standbys by application_name in
 * pg_stat_replication and synchronous_standby_names (PostgreSQL docs 27.2.5, 20.6.2). Keyword
 * form gets ` application_name='name'` (quoted by libpq's rules, 34.1.1: `\` and `'` escaped);
 * a URI gets `?application_name=` / `&application_name=` percent-encoded (34.1.1.2).
 * @throws Error (one line) when `text` is not a valid conninfo (parseConninfo's errors).
 */
export function withApplicationName(text: string, name: string): string {
  if (parseConninfo(text).application_name !== undefined) return text;
  if (/^postgres(ql)?:\/\//.test(text))
    return `${text}${text.includes('?') ? '&' : '?'}application_name=${encodeURIComponent(name)}`;
  return `${text.trimEnd()} application_name='${name.replace(/[\\']/g, '\\$&')}'`;
}
