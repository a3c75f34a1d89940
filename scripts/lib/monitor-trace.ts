/**
 * What the agent's monitors start, under a real Pacemaker: pacemaker-execd of each lab node is
 * traced (strace -f -tt: execve, clone, exits) for a while, and every program started is
 * attributed to the agent run (action `monitor`) it descends from. Used by
 * scripts/pacemaker-monitor-cost.ts (against PAF) and by the Pacemaker test (steady state).
 */
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PcmkLab } from './pcmk';

/** One monitor run of the agent: its node's role, start/end (seconds of the day), programs its descendants exec'd. */
export interface MonitorRun {
  pid: number;
  node: string;
  role: 'primary' | 'standby';
  start: number;
  end?: number;
  children: string[];
}

const toS = (t: string) => {
  const [h, m, s] = t.split(':').map(Number);
  return h * 3600 + m * 60 + s;
};

/** Parses `strace -f -tt` output of one node's pacemaker-execd into the agent's monitor runs. */
export function parseMonitorTrace(
  text: string,
  agentPath: RegExp,
  node: string,
  role: 'primary' | 'standby',
): MonitorRun[] {
  const parent = new Map<number, number>();
  const runs = new Map<number, MonitorRun>();
  const owner = (pid: number): MonitorRun | undefined => {
    for (let p: number | undefined = pid, i = 0; p !== undefined && i < 64; p = parent.get(p), i++)
      if (runs.has(p)) return runs.get(p);
    return undefined;
  };
  for (const line of text.split('\n')) {
    const m = /^(\d+)\s+(\d\d:\d\d:\d\d\.\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const t = toS(m[2]);
    const rest = m[3];
    const clone = /^(?:(?:clone3?|vfork|fork)\(.*\)|<\.\.\. (?:clone3?|vfork|fork) resumed>.*)\s+=\s+(\d+)/.exec(rest);
    if (clone) {
      parent.set(Number(clone[1]), pid);
      continue;
    }
    const exec = /^execve\("([^"]+)", \[(.*?)\]/.exec(rest);
    if (exec && / = 0$/.test(rest)) {
      const argv = exec[2];
      if (agentPath.test(exec[1])) {
        if (/"monitor"/.test(argv) && !owner(pid)) runs.set(pid, { pid, node, role, start: t, children: [] });
        continue;
      }
      const run = owner(pid);
      // An exec in the agent's own process (the wrapper's `exec /usr/bin/pgsr`) is no new process.
      if (run && pid !== run.pid) run.children.push(exec[1].split('/').pop() as string);
      continue;
    }
    if (/^\+\+\+ exited with/.test(rest) && runs.has(pid)) (runs.get(pid) as MonitorRun).end = t;
  }
  return [...runs.values()].filter((r) => r.end !== undefined);
}

/**
 * Traces both lab nodes' pacemaker-execd for `windowS` seconds and returns the agent's finished
 * monitor runs. `agentPath` matches the agent's executable.
 * @throws when a node has no pacemaker-execd.
 */
export async function traceMonitors(lab: PcmkLab, agentPath: RegExp, windowS: number): Promise<MonitorRun[]> {
  const primary = await lab.promoted();
  const dir = mkdtempSync('/tmp/pgsr-pcmk-cost-');
  const tracers = ['node1', 'node2'].map((node) => {
    const execd = lab.nodePids(node).find((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'pacemaker-execd';
      } catch {
        return false;
      }
    });
    if (!execd) throw new Error(`no pacemaker-execd on ${node}`);
    const out = join(dir, `${node}.strace`);
    const proc = execa(
      'strace',
      ['-f', '-q', '-tt', '-s', '200', '-e', 'trace=execve,clone,clone3,vfork,fork', '-o', out, '-p', String(execd)],
      { reject: false, timeout: (windowS + 30) * 1000 },
    );
    return { node, out, proc };
  });
  await new Promise((r) => setTimeout(r, windowS * 1000));
  for (const t of tracers) t.proc.kill('SIGINT');
  await Promise.all(tracers.map((t) => t.proc));
  return tracers.flatMap((t) =>
    existsSync(t.out)
      ? parseMonitorTrace(readFileSync(t.out, 'utf8'), agentPath, t.node, t.node === primary ? 'primary' : 'standby')
      : [],
  );
}
