/**
 * execa, loaded on first use: a plain check never spawns a process and should not pay for
 * loading it at start-up (measured: `pgsr --version` 139 -> 86 ms, docs/benchmarks.md). The one
 * loader every module that spawns uses.
 */
export const loadExeca = (): Promise<typeof import('execa').execa> => import('execa').then((m) => m.execa);
