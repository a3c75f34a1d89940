/**
 * Pure text transformations of PostgreSQL configuration files, for writing the standby
 * configuration the server's major needs (PostgreSQL docs 26.2.4 and the 12 release notes):
 * - up to 11: `recovery.conf` with `standby_mode = 'on'`, `primary_conninfo`,
 *   `recovery_target_timeline = 'latest'` (other lines such as restore_command kept);
 * - from 12: `standby.signal` plus `primary_conninfo` and `recovery_target_timeline` in
 *   `postgresql.auto.conf` (where `pg_basebackup -R` writes them too).
 */

/** Quotes a configuration value (single quotes, embedded quotes doubled). */
export function quoteConfValue(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Reads a setting from configuration text (last occurrence wins, as in PostgreSQL); undefined if absent. */
export function readConfSetting(text: string, name: string): string | undefined {
  let found: string | undefined;
  for (const raw of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*=?\s*(.*)$/.exec(raw);
    if (!m || m[1].toLowerCase() !== name.toLowerCase()) continue;
    let v = m[2].trim();
    if (v.startsWith("'")) {
      let out = '';
      for (let i = 1; i < v.length; i++) {
        if (v[i] === "'" && v[i + 1] === "'") {
          out += "'";
          i++;
        } else if (v[i] === "'") break;
        else out += v[i];
      }
      v = out;
    } else v = v.replace(/\s*#.*$/, '');
    found = v;
  }
  return found;
}

/** Sets (replacing every earlier line of) the given settings in configuration text. */
export function setConfSettings(text: string, settings: Record<string, string>, header = ''): string {
  const names = new Set(Object.keys(settings).map((n) => n.toLowerCase()));
  const kept = text.split('\n').filter((l) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*=/.exec(l);
    return !(m && names.has(m[1].toLowerCase()));
  });
  while (kept.length && kept[kept.length - 1].trim() === '') kept.pop();
  const added = Object.entries(settings).map(([k, v]) => `${k} = ${quoteConfValue(v)}`);
  return [...kept, ...(header ? [header] : []), ...added, ''].join('\n');
}

/** The settings that make a server a streaming standby of `conninfo`. */
export function standbySettings(major: number, conninfo: string): Record<string, string> {
  return major >= 12
    ? { primary_conninfo: conninfo, recovery_target_timeline: 'latest' }
    : { standby_mode: 'on', primary_conninfo: conninfo, recovery_target_timeline: 'latest' };
}
