/**
 * Pgpool-II's PCP commands (pcp_attach_node), run with an argument vector and PCPPASSFILE in
 * the environment (never a password in argv; `-w`: never prompt), bounded by a timeout.
 * Pgpool-II docs "pcp_attach_node", "PCP password file".
 */
import { runHere } from './exec';
import { systemProgram } from './which';

/** Where PCP listens and who logs in. */
export interface PcpSettings {
  host: string;
  port: number;
  user: string;
  /** .pcppass file (PCPPASSFILE); default ~/.pcppass of the user running pgsr. */
  passfile?: string;
}

/**
 * pcp_attach_node -n NODE: Pgpool takes the node back into service.
 * @returns undefined on success, else one line saying why.
 */
export async function pcpAttachNode(pcp: PcpSettings, nodeId: number, timeoutMs: number): Promise<string | undefined> {
  const program = systemProgram('pcp_attach_node');
  if (!program) return 'pcp_attach_node not found (Debian: pgpool2; RHEL: pgpool-II)';
  const env: Record<string, string> = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', ...(process.env.HOME ? { HOME: process.env.HOME } : {}), ...(pcp.passfile ? { PCPPASSFILE: pcp.passfile } : {}) };
  const r = await runHere(program, ['-h', pcp.host, '-p', String(pcp.port), '-U', pcp.user, '-n', String(nodeId), '-w'], { timeoutMs: Math.max(500, timeoutMs), env, extendEnv: false });
  if (r.exitCode === 0) return undefined;
  return r.timedOut ? `pcp_attach_node timed out after ${timeoutMs} ms` : `pcp_attach_node exit ${r.exitCode}: ${r.output.split('\n').at(-1) || 'no output'}`;
}
