// Builds dist/pgsr.cjs: one CommonJS file with every dependency inside, run by plain `node`.
import { build } from 'esbuild';
import { chmodSync, readFileSync, statSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const outfile = new URL('../dist/pgsr.cjs', import.meta.url).pathname;
await build({
  entryPoints: [new URL('../src/main.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  keepNames: false,
  legalComments: 'eof',
  banner: { js: '#!/usr/bin/env node' },
  define: { PGSR_VERSION: JSON.stringify(pkg.version) },
  // pg-native is an optional native binding node-postgres loads only on request.
  external: ['pg-native'],
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
console.log(`built ${outfile} (${(statSync(outfile).size / 1024).toFixed(0)} KiB)`);
