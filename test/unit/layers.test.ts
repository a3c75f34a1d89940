/**
 * The layer rules of docs/architecture.md, checked on the source: observe (probe/) → decide
 * (verdict/) → render (dialect/) → act (host/, lifecycle/, agents/), wired by cli/. A forbidden
 * import fails this test with the file and the import.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Imports of a file: `pkg` for packages and node: modules, `src/<path>` for our modules. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n;]*?from\s+'([^']+)'/g),
    ...text.matchAll(/import\(\s*'([^']+)'\s*\)/g),
  ].map((m) => m[1]);
  return specs.map((s) =>
    s.startsWith('.') ? `src/${relative(SRC, resolve(dirname(file), s)).replace(/\.ts$/, '')}` : s,
  );
}

/** Layer of a module path (`src/verdict/check` → `verdict`; top-level leaves by name). */
const layerOf = (mod: string) => {
  const rel = mod.replace(/^src\//, '');
  return rel.includes('/') ? rel.split('/')[0] : rel;
};

/** What each layer must never import (packages, node: modules, or our layers). */
const FORBIDDEN: Record<string, string[]> = {
  types: ['*'],
  range: ['*', '!i18n'],
  errors: ['*'],
  i18n: ['*'],
  observation: ['*', '!types'],
  verdict: [
    'pg',
    'execa',
    'node:child_process',
    'node:net',
    'node:fs',
    'lifecycle',
    'agents',
    'cli',
    'probe',
    'host',
    'config',
    'dialect',
  ],
  dialect: ['pg', 'execa', 'node:child_process', 'node:net', 'lifecycle', 'agents', 'cli', 'probe', 'host', 'config'],
  probe: ['lifecycle', 'agents', 'cli', 'dialect', 'verdict'],
  host: ['lifecycle', 'agents', 'cli', 'probe', 'verdict'],
  config: ['lifecycle', 'agents', 'cli', 'probe', 'verdict', 'dialect', 'pg'],
  lifecycle: ['agents', 'cli', 'dialect'],
  agents: ['cli'],
};

describe('layers', () => {
  const all = files(SRC);
  it('finds the source', () => {
    expect(all.length).toBeGreaterThan(30);
  });
  it.each(Object.keys(FORBIDDEN))('%s imports nothing it must not', (layer) => {
    const rules = FORBIDDEN[layer];
    const bad: string[] = [];
    for (const f of all.filter((x) => layerOf(`src/${relative(SRC, x).replace(/\.ts$/, '')}`) === layer)) {
      for (const imp of importsOf(f)) {
        const ours = imp.startsWith('src/');
        const target = ours ? layerOf(imp) : imp;
        if (ours && target === layer) continue;
        const allowed = rules.includes(`!${target}`);
        const hit = !allowed && (rules.includes(target) || (rules.includes('*') && ours));
        if (hit) bad.push(`${relative(SRC, f)} imports ${imp}`);
      }
    }
    expect(bad).toEqual([]);
  });
  it('a source file over 350 lines says why at its top', () => {
    const long = all.filter(
      (f) =>
        readFileSync(f, 'utf8').split('\n').length > 350 &&
        !/over 350 lines because/i.test(readFileSync(f, 'utf8').slice(0, 2000)),
    );
    expect(long.map((f) => relative(SRC, f))).toEqual([]);
  });
  it('the checker sees a forbidden import (it can fail)', () => {
    // A verdict module importing pg would be caught: the rule table says so.
    expect(FORBIDDEN.verdict).toContain('pg');
    expect(importsOf(join(SRC, 'probe', 'connect.ts'))).toContain('pg');
  });
});
