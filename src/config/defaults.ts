/** Defaults that depend on the host: the output format and the state directory. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../host/which';
import { nonEmpty } from './values';

/**
 * Default output format: CLUSTERPRO's when the process runs under CLUSTERPRO (CLP_* variables
 * of EXEC resources) or on a node where clplogcmd exists; plain text otherwise.
 */
export function detectFormat(env: NodeJS.ProcessEnv): 'clusterpro' | 'text' {
  if (Object.keys(env).some((k) => k.startsWith('CLP_'))) return 'clusterpro';
  return findOnPath('clplogcmd', env.PATH, ['/usr/sbin/clplogcmd']) ? 'clusterpro' : 'text';
}

/** State directory: /var/lib/pgsr for root (as under a cluster manager), else the XDG state home. */
export function defaultStateDir(ctx: { uid: number; env: NodeJS.ProcessEnv }): string {
  if (ctx.uid === 0) return '/var/lib/pgsr';
  const base = nonEmpty(ctx.env.XDG_STATE_HOME) ?? join(nonEmpty(ctx.env.HOME) ?? homedir(), '.local', 'state');
  return join(base, 'pgsr');
}
