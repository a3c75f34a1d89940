// Builds dist/pgsr.cjs: one CommonJS file with every dependency inside, run by plain `node`.
import { build } from 'esbuild';
import { chmodSync, readFileSync, statSync } from 'node:fs';
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
  plugins: [nodeOnlyPg],
});
chmodSync(outfile, 0o755);
console.log(`built ${outfile} (${(statSync(outfile).size / 1024).toFixed(0)} KiB)`);
