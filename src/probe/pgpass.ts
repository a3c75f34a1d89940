/**
 * Password lookup in libpq password files (PostgreSQL docs 34.16 "The Password File"),
 * using the parser of the `pgpass` package that node-postgres itself depends on.
 * Several files may be searched (see ConnectionSettings.passfiles); the first match wins.
 */
import { readFileSync, statSync } from 'node:fs';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import helper from 'pgpass/lib/helper.js';
import { t } from '../i18n';

interface PassEntry {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
}
const pgpass = helper as unknown as {
  parseLine(line: string): PassEntry | null;
  isValidEntry(entry: PassEntry): boolean;
  match(conn: { host: string; port: number; database: string; user: string }, entry: PassEntry): boolean;
};

/** Outcome of a lookup: the password if found, and why files were skipped (for error messages). */
export interface PassLookup {
  password?: string;
  /** e.g. "/root/.pgpass has group or world access; ignored" (libpq's rule). */
  notes: string[];
  /** The file the password came from. */
  file?: string;
}

/**
 * Finds the password for a connection.
 * @param host the host as given; a unix-socket directory matches `localhost` as in libpq.
 * Never throws: unreadable files become notes.
 */
export function lookupPassword(
  files: string[],
  conn: { host: string; port: number; database: string; user: string },
): PassLookup {
  const notes: string[] = [];
  const key = { ...conn, host: conn.host.startsWith('/') ? 'localhost' : conn.host };
  for (const file of files) {
    let text: string;
    try {
      const st = statSync(file);
      if (!st.isFile()) {
        notes.push(t('probe.pgpass_not_file', { file }));
        continue;
      }
      if ((st.mode & 0o077) !== 0) {
        notes.push(t('probe.pgpass_mode', { file }));
        continue;
      }
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') notes.push(`${file} unreadable (${code}); ignored`);
      continue;
    }
    for (const line of text.split(/\r?\n/)) {
      if (line.trimStart().startsWith('#')) continue;
      const entry = pgpass.parseLine(line);
      if (entry && pgpass.isValidEntry(entry) && pgpass.match(key, entry))
        return { password: entry.password, notes, file };
    }
  }
  return { notes };
}

/**
 * One password-file line for a server, any database: `host:port:*:user:password`, `:` and `\`
 * escaped (PostgreSQL docs 34.16); a unix-socket directory is written `localhost`, as libpq
 * matches it. Ends with a newline.
 */
export function passfileLine(host: string, port: number, user: string, password: string): string {
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  return `${esc(host.startsWith('/') ? 'localhost' : host)}:${port}:*:${esc(user)}:${esc(password)}\n`;
}
