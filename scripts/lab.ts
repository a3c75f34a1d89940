// npm run lab -- up|down|status [--dir DIR] [--bindir DIR] [--port PORT]
// Brings a real primary/standby pair up on 127.0.0.1 (see scripts/lib/lab.ts).
import { existsSync } from 'node:fs';
import { isStreaming, labDown, labLoad, labUp, psql } from './lib/lab';

const DEFAULT_DIR = '/tmp/pgsr-lab';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const cmd = process.argv[2];
  const dir = arg('dir') ?? DEFAULT_DIR;
  switch (cmd) {
    case 'up': {
      const pair = await labUp({
        dir,
        bindir: arg('bindir'),
        port: arg('port') ? Number(arg('port')) : undefined,
        log: (m) => console.error(`lab: ${m}`),
      });
      console.log(`PGSR_LAB_DIR=${pair.dir}`);
      console.log(`PGSR_LAB_MAJOR=${pair.major}`);
      console.log(`PGSR_LAB_PRIMARY_PORT=${pair.primary.port}`);
      console.log(`PGSR_LAB_STANDBY_PORT=${pair.standby.port}`);
      console.error(
        `lab: try  node dist/pgsr.cjs check -h 127.0.0.1 -p ${pair.standby.port} --role standby --primary-host 127.0.0.1 --format text`,
      );
      return 0;
    }
    case 'down':
      await labDown(dir);
      console.error(`lab: ${dir} removed`);
      return 0;
    case 'status': {
      if (!existsSync(dir)) {
        console.log(`no lab in ${dir}`);
        return 3;
      }
      const pair = labLoad(dir);
      console.log(
        `lab ${dir}: PostgreSQL ${pair.major}, primary 127.0.0.1:${pair.primary.port}, standby 127.0.0.1:${pair.standby.port}`,
      );
      console.log(
        await psql(pair, pair.primary, 'SELECT application_name, state, sync_state FROM pg_stat_replication').catch(
          (e) => `primary: ${e.shortMessage ?? e.message}`,
        ),
      );
      console.log(
        await psql(pair, pair.standby, 'SELECT status, sender_host, sender_port FROM pg_stat_wal_receiver').catch(
          (e) => `standby: ${e.shortMessage ?? e.message}`,
        ),
      );
      return (await isStreaming(pair).catch(() => false)) ? 0 : 1;
    }
    default:
      console.error('usage: npm run lab -- up|down|status [--dir DIR] [--bindir DIR] [--port PORT]');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`lab: ${(err as Error).message}`);
    process.exit(1);
  },
);
