// Builds dist/pgsr.cjs: one CommonJS file with every dependency inside, run by plain `node`.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readFile } from 'node:fs/promises';

/**
 * pg asks at load time whether it runs on Cloudflare Workers by constructing a fetch Response,
 * which on Node 20 loads Node's whole fetch implementation (about 5 ms on every run). pgsr only
 * runs on Node: answer the question at build time.
 */
const nodeOnlyPg = {
  name: 'pg-node-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      const patched = src.replace(/function isCloudflareRuntime\(\) \{/, 'function isCloudflareRuntime() {\n  return false;');
      if (patched === src) throw new Error('pg/lib/stream.js changed: isCloudflareRuntime() not found');
      return { contents: patched, loader: 'js' };
    });
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const outfile = new URL('../dist/pgsr.cjs', import.meta.url).pathname;
const result = await build({
  write: false,
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
  plugins: [nodeOnlyPg],
});
// Written to a temporary file and renamed into place: an agent or monitor running the bundle
// while it is rebuilt (or upgraded) reads either the old file or the new one, never half of one.
const tmp = `${outfile}.tmp-${process.pid}`;
mkdirSync(dirname(outfile), { recursive: true });
writeFileSync(tmp, result.outputFiles[0].contents, { mode: 0o755 });
chmodSync(tmp, 0o755);
renameSync(tmp, outfile);
console.log(`built ${outfile} (${(statSync(outfile).size / 1024).toFixed(0)} KiB)`);
