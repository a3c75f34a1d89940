/**
 * Pacemaker's command-line tools, as effects of the OCF agent: node attributes
 * (crm_attribute, transient: --lifetime reboot), private attributes (attrd_updater -p, for the
 * pre-promote LSN exchange), the local node name and the partition's members (crm_node). Every
 * call is an argument vector with a timeout; failures are returned as text, never thrown.
 */

import { systemProgram } from './which';
import { loadExeca } from './execa';

const T = 5000;

/** Pacemaker's tools by absolute path (PATH, then the system directories); the bare name if absent (the spawn error then names it). */
const tool = (name: string): string => systemProgram(name) ?? name;

/** The local node name (`crm_node -n`), or OCF_RESKEY_CRM_meta_on_node when Pacemaker gave it. */
export async function localNodeName(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.OCF_RESKEY_CRM_meta_on_node) return env.OCF_RESKEY_CRM_meta_on_node;
  const r = await (await loadExeca())(tool('crm_node'), ['-n'], { reject: false, timeout: budget() });
  return r.exitCode === 0 ? String(r.stdout).trim() : undefined;
}

/**
 * The environment for `attrd_updater --query --all`: the agent's own, without the variables that
 * name a target node. With OCF_RESKEY_CRM_meta_on_node set (Pacemaker sets it for every agent
 * run), attrd_updater answers `--all` with the local node's value only (seen with Pacemaker 2.1:
 * the target from the environment wins over --all), so every other node's attribute looked
 * missing and was rewritten at every monitor.
 */
export function allNodesEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const k of [
    'OCF_RESKEY_CRM_meta_on_node',
    'OCF_RESKEY_CRM_meta_on_node_uuid',
    'OCF_RESKEY_CRM_meta_container_attribute_target',
    'OCF_RESKEY_CRM_meta_physical_host',
  ])
    delete out[k];
  return out;
}

/** Names of the nodes in the local partition (`crm_node -p`). */
export async function partitionNodes(): Promise<string[]> {
  const r = await (await loadExeca())(tool('crm_node'), ['-p'], { reject: false, timeout: budget() });
  return r.exitCode === 0 ? String(r.stdout).trim().split(/\s+/).filter(Boolean) : [];
}

/**
 * Milliseconds a tool may take: 5 s, or what is left before `deadline` (epoch ms; the OCF
 * operation's own timeout), at least 100 ms.
 */
const budget = (deadline?: number): number =>
  Math.max(100, Math.min(T, (deadline ?? operationDeadline ?? Infinity) - Date.now()));

/** The end of the OCF operation under way (epoch ms), set once per action by the agent. */
let operationDeadline: number | undefined;

/**
 * Bounds every Pacemaker tool call of this process by the OCF operation's deadline (derived from
 * OCF_RESKEY_CRM_meta_timeout), so that all of them together end before Pacemaker's own timeout.
 */
export function boundPacemakerCalls(deadline: number): void {
  operationDeadline = deadline;
}

/** Sets (or with null deletes) a transient node attribute; returns an error line or undefined. */
export async function setNodeAttribute(
  node: string,
  name: string,
  value: string | null,
  deadline?: number,
): Promise<string | undefined> {
  // `--update=VALUE`: a value such as -INFINITY would otherwise be read as options.
  const args = [
    '--node',
    node,
    '--name',
    name,
    '--lifetime',
    'reboot',
    ...(value === null ? ['--delete'] : [`--update=${value}`]),
  ];
  const r = await (await loadExeca())(tool('crm_attribute'), args, { reject: false, timeout: budget(deadline) });
  return r.exitCode === 0
    ? undefined
    : `crm_attribute ${args.join(' ')}: ${String(r.stderr).trim() || `exit ${r.exitCode}`}`;
}

/** Reads a transient node attribute; undefined when unset or unreadable. */
export async function getNodeAttribute(node: string, name: string): Promise<string | undefined> {
  const r = await (
    await loadExeca()
  )(tool('crm_attribute'), ['--node', node, '--name', name, '--lifetime', 'reboot', '--query', '--quiet'], {
    reject: false,
    timeout: budget(),
  });
  const v = String(r.stdout).trim();
  return r.exitCode === 0 && v !== '' ? v : undefined;
}

/** Sets (or with null deletes) a private attribute of this node (not written to the CIB). */
export async function setPrivateAttribute(name: string, value: string | null): Promise<string | undefined> {
  const args = ['--private', '--name', name, ...(value === null ? ['--delete'] : [`--update=${value}`])];
  const r = await (await loadExeca())(tool('attrd_updater'), args, { reject: false, timeout: budget() });
  return r.exitCode === 0 ? undefined : `attrd_updater: ${String(r.stderr).trim() || `exit ${r.exitCode}`}`;
}

/**
 * A transient node attribute on every node, in one call (`attrd_updater --query --all`): node
 * name → value. Empty when attrd cannot be asked (then callers write everything).
 */
export async function nodeAttributeAllNodes(name: string, deadline?: number): Promise<Map<string, string>> {
  const r = await (
    await loadExeca()
  )(tool('attrd_updater'), ['--name', name, '--query', '--all'], {
    reject: false,
    timeout: budget(deadline),
    env: allNodesEnv(),
    extendEnv: false,
  });
  const out = new Map<string, string>();
  for (const line of String(r.stdout).split('\n')) {
    const m = /host="([^"]*)"\s+value="([^"]*)"/.exec(line);
    if (m && m[2] !== '') out.set(m[1], m[2]);
  }
  return out;
}

/**
 * Writes node attributes only where they differ from what attrd holds: one query per
 * attribute name, then one crm_attribute per changed value. The queries run together, then the
 * writes together (different attributes or nodes: no order between them), so a monitor waits
 * for about one attrd_updater and one crm_attribute, not one per name. All bounded by `deadline`.
 * @param wanted attribute name → node → value.
 * @returns error lines of failed writes.
 */
export async function syncNodeAttributes(
  wanted: Map<string, Map<string, string>>,
  deadline?: number,
): Promise<string[]> {
  const names = [...wanted.keys()];
  const current = await Promise.all(names.map((name) => nodeAttributeAllNodes(name, deadline)));
  const writes: Array<Promise<string | undefined>> = [];
  names.forEach((name, i) => {
    for (const [node, value] of wanted.get(name) ?? [])
      if (current[i].get(node) !== value) writes.push(setNodeAttribute(node, name, value, deadline));
  });
  return (await Promise.all(writes)).filter((p): p is string => p !== undefined);
}

/** A private attribute on every node: node name → value. */
export async function privateAttributeAllNodes(name: string): Promise<Map<string, string>> {
  const r = await (
    await loadExeca()
  )(tool('attrd_updater'), ['--private', '--name', name, '--query', '--all'], {
    reject: false,
    timeout: budget(),
    env: allNodesEnv(),
    extendEnv: false,
  });
  const out = new Map<string, string>();
  for (const line of String(r.stdout).split('\n')) {
    const m = /host="([^"]*)"\s+value="([^"]*)"/.exec(line);
    if (m && m[2] !== '') out.set(m[1], m[2]);
  }
  return out;
}
