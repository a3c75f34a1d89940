/**
 * Pgpool-II's PCP commands (pcp_attach_node, pcp_node_count, pcp_node_info), run with an argument vector and PCPPASSFILE in
 * the environment (never a password in argv; `-w`: never prompt), bounded by a timeout.
 * Pgpool-II docs "pcp_attach_node", "PCP password file".
 */
import { runHere, type HereResult } from './exec';
import { systemProgram } from './which';

/** Where PCP listens and who logs in. */
export interface PcpSettings {
  host: string;
  port: number;
  user: string;
  /** .pcppass file (PCPPASSFILE); default ~/.pcppass of the user running pgsr. */
  passfile?: string;
}

/** The environment of a PCP command: PCPPASSFILE, and nothing else of ours (never a password). */
function pcpEnv(pcp: PcpSettings): Record<string, string> {
  return {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C',
    ...(process.env.HOME ? { HOME: process.env.HOME } : {}),
    ...(pcp.passfile ? { PCPPASSFILE: pcp.passfile } : {}),
  };
}

const pcpArgs = (pcp: PcpSettings, extra: string[]) => [
  '-h',
  pcp.host,
  '-p',
  String(pcp.port),
  '-U',
  pcp.user,
  ...extra,
  '-w',
];
const pcpFailure = (tool: string, r: HereResult, timeoutMs: number) =>
  r.timedOut
    ? `${tool} timed out after ${timeoutMs} ms`
    : `${tool} exit ${r.exitCode}: ${r.output.split('\n').at(-1) || 'no output'}`;

/**
 * pcp_attach_node -n NODE: Pgpool takes the node back into service.
 * @returns undefined on success, else one line saying why.
 */
export async function pcpAttachNode(pcp: PcpSettings, nodeId: number, timeoutMs: number): Promise<string | undefined> {
  const program = systemProgram('pcp_attach_node');
  if (!program) return 'pcp_attach_node not found (Debian: pgpool2; RHEL: pgpool-II)';
  const r = await runHere(program, pcpArgs(pcp, ['-n', String(nodeId)]), {
    timeoutMs: Math.max(500, timeoutMs),
    env: pcpEnv(pcp),
    extendEnv: false,
  });
  return r.exitCode === 0 ? undefined : pcpFailure('pcp_attach_node', r, timeoutMs);
}

/** One backend as pcp_node_info reports it. */
export interface PcpNode {
  id: number;
  host: string;
  port: number;
  /** Pgpool's status: `up`, `waiting` (in service, no connection yet), `down`, `unused`. */
  status: string;
  /** Pgpool's role: `primary` or `standby`. */
  role: string;
}

/**
 * Parses `pcp_node_info -n ID` output: `host port status_code weight status pg_status role
 * pg_role ...` (4.2+; 4.1 and before print neither pg_status nor pg_role). Lines that do not
 * have this shape (warnings) are skipped; undefined when none has it.
 */
export function parsePcpNodeInfo(stdout: string, id: number): PcpNode | undefined {
  const f = stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((w) => w.length >= 7 && /^\d+$/.test(w[1]) && /^\d+$/.test(w[2]));
  return f && { id, host: f[0], port: Number(f[1]), status: f[4], role: f[6] };
}

/**
 * Every backend as Pgpool sees it but those in `skip`: pcp_node_count, then pcp_node_info -n for
 * each node in parallel. Per node, because pcp_node_info also asks each node it reports for its
 * actual state (pg_status, pg_role) and waits on a hung one: `--all` would wait on the failed
 * node. A node whose pcp_node_info fails within the bound is left out.
 * @returns the nodes, or one line saying why they could not be counted.
 */
export async function pcpNodes(pcp: PcpSettings, skip: number[], timeoutMs: number): Promise<PcpNode[] | string> {
  const until = Date.now() + Math.max(500, timeoutMs);
  const count = systemProgram('pcp_node_count');
  const info = systemProgram('pcp_node_info');
  if (!count || !info) return 'pcp_node_count or pcp_node_info not found (Debian: pgpool2; RHEL: pgpool-II)';
  const c = await runHere(count, pcpArgs(pcp, []), {
    timeoutMs: until - Date.now(),
    env: pcpEnv(pcp),
    extendEnv: false,
  });
  const n = Number(/^\s*(\d+)\s*$/m.exec(c.output)?.[1] ?? NaN);
  if (c.exitCode !== 0 || !Number.isInteger(n))
    return c.exitCode === 0 ? `pcp_node_count: '${c.output}'` : pcpFailure('pcp_node_count', c, timeoutMs);
  const ids = Array.from({ length: Math.min(n, 128) }, (_, i) => i).filter((i) => !skip.includes(i));
  const nodes = await Promise.all(
    ids.map(async (id) => {
      const r = await runHere(info, pcpArgs(pcp, ['-n', String(id)]), {
        timeoutMs: Math.max(100, until - Date.now()),
        env: pcpEnv(pcp),
        extendEnv: false,
      });
      return r.exitCode === 0 ? parsePcpNodeInfo(r.output, id) : undefined;
    }),
  );
  return nodes.filter((x): x is PcpNode => x !== undefined);
}
