// npm run demo: pgsr check as CLUSTERPRO would run it, on a real local primary/standby pair.
// Builds nothing itself (npm run demo builds first); brings the lab up, checks the standby and
// the primary, stops the primary, checks again (now an alert), and tears the lab down.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CLPSIM_DIR, readAlerts, runAsGenw } from './lib/genw';
import { labDown, labUp, stopNode, type LabPair } from './lib/lab';

const work = mkdtempSync('/tmp/pgsr-demo-');
const alertLog = join(work, 'alerts.jsonl');
const stateDir = join(work, 'state');
let seen = 0;

async function genw(title: string, args: string[]): Promise<void> {
  console.log(`\n--- ${title}`);
  console.log(`$ node dist/pgsr.cjs ${args.join(' ')}`);
  const r = await runAsGenw(args, { alertLog, stateDir });
  console.log(
    `exit code : ${r.exitCode} (${r.exitCode === 0 ? 'normal' : 'abnormal: CLUSTERPRO runs the recovery action'})`,
  );
  for (const line of r.stdout.split('\n')) console.log(`log line  : ${line}`);
  if (r.stderr) console.log(`stderr    : ${r.stderr}`);
  const all = readAlerts(alertLog);
  const fresh = all.slice(seen);
  seen = all.length;
  if (!fresh.length) console.log('alert     : none (no change of state)');
  for (const a of fresh) console.log(`alert     : clplogcmd -m "${a.message}" --alert -i ${a.event_id} -l ${a.level}`);
}

async function main(): Promise<void> {
  if (!existsSync(join(CLPSIM_DIR, 'clplogcmd')))
    console.log(`(no clpsim kit at ${CLPSIM_DIR}: alerts will be reported as not sent)`);
  console.log('Bringing up a PostgreSQL primary + hot standby on 127.0.0.1 ...');
  let pair: LabPair | undefined;
  try {
    pair = await labUp({ log: (m) => console.log(`  lab: ${m}`) });
    const p = String(pair.primary.port);
    const s = String(pair.standby.port);
    const standby = [
      'check',
      '--format',
      'clusterpro',
      '-h',
      '127.0.0.1',
      '-p',
      s,
      '--role',
      'standby',
      '--primary-host',
      '127.0.0.1',
      '--primary-port',
      p,
    ];
    const primary = [
      'check',
      '--format',
      'clusterpro',
      '-h',
      '127.0.0.1',
      '-p',
      p,
      '--role',
      'primary',
      '--application-name',
      pair.applicationName,
      '--sync-state',
      'async',
    ];
    await genw('genw_watchstandby on a healthy pair (standby)', standby);
    await genw('the same check on the primary', primary);
    console.log(`\n*** stopping the primary (pg_ctl stop -m fast) ***`);
    await stopNode(pair, pair.primary, 'fast');
    await genw('genw_watchstandby after the primary stopped', standby);
    await genw('next interval: still broken, no second alert', standby);
    await genw('the primary check: cannot connect', primary);
  } finally {
    if (pair) await labDown(pair);
    rmSync(work, { recursive: true, force: true });
    console.log('\nLab torn down.');
  }
}

main().catch((err) => {
  console.error(`demo failed: ${(err as Error).message}`);
  process.exit(1);
});
