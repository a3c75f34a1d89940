/** `pgsr ocf <action>`: commander wiring of the Pacemaker adapter (src/agents/ocf.ts). */
import { ocfAction } from '../agents/ocf';
import type { CommandResult } from './check';

/** The `ocf` subcommand. */
export function ocfCommand(run: (r: Promise<CommandResult>) => void, version: string) {
  return (action: string) => {
    run(
      ocfAction(action, process.env, version).then((r) => ({ exitCode: r.code, stdout: r.stdout, stderr: r.stderr })),
    );
  };
}
