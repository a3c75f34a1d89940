import { describe, expect, it } from 'vitest';
import { ocfManPage, pgsrManPage, roffEscape, subcommands } from '../../src/cli/man';
import { buildProgram } from '../../src/cli/program';
import { OCF_PARAMS } from '../../src/dialect/ocf';

describe('man pages', () => {
  it('roffEscape: backslashes, hyphens, lines starting with a control character', () => {
    expect(roffEscape("a\\b --x\n.TH\n'q")).toBe("a\\eb \\-\\-x\n\\&.TH\n\\&'q");
  });

  it('pgsr(1) has every subcommand and every visible option of the command tree', () => {
    const page = pgsrManPage('1.2.3', '2026-12-01');
    expect(page).toMatch(/^\.TH PGSR 1 "2026-12-01" "pgsr 1\.2\.3"/);
    const cmds = subcommands(buildProgram(() => undefined));
    expect(cmds.map((c) => c.name)).toEqual(
      expect.arrayContaining(['check', 'watch', 'promote', 'rebuild', 'exec start', 'pgpool failover', 'ocf']),
    );
    for (const { name, cmd } of cmds) {
      expect(page).toContain(`.SS "pgsr ${roffEscape(name)}`);
      for (const o of cmd.options.filter((o) => !o.hidden))
        expect(page, `${name} ${o.flags}`).toContain(`.B ${roffEscape(o.flags)}`);
    }
    for (const s of [
      '.SH EXIT STATUS',
      '.SH ENVIRONMENT',
      '.SH FILES',
      '.SH EXAMPLES',
      '/usr/lib/ocf/resource.d/pgsr/pgsql\\-sr',
    ])
      expect(page).toContain(s);
  });

  it('ocf_pgsr_pgsql-sr(7) has every parameter of the meta-data', () => {
    const page = ocfManPage('1.2.3', '2026-12-01');
    for (const p of OCF_PARAMS) expect(page).toContain(`.B ${roffEscape(p.name)}`);
    expect(page).toContain('.B promote');
    expect(page).toContain('OCF_RUNNING_PROMOTED');
  });
});
