/**
 * The local passwd database (/etc/passwd; no NSS: the OS users of a cluster node are local).
 * One reader for every place that needs a user's ids or home directory.
 */
import { readFileSync } from 'node:fs';

/** A user's uid, gid and home directory. */
export interface PasswdEntry {
  uid: number;
  gid: number;
  home: string;
}

/** Looks a user up; undefined when unknown or the file is unreadable. Never throws. */
export function passwdEntry(user: string): PasswdEntry | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === user && f.length >= 7) return { uid: Number(f[2]), gid: Number(f[3]), home: f[5] };
    }
  } catch {
    // no passwd file: unknown user
  }
  return undefined;
}
