// Builds dist/pgsr.cjs: one CommonJS file with every dependency inside, run by plain `node`.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readFile } from 'node:fs/promises';

/**
 * Library start-up work a check never needs, removed at build time.
 * - pg asks at load time whether it runs on Cloudflare Workers by constructing a fetch Response,
 *   which on Node 20 loads Node's whole fetch implementation (about 5 ms on every run). pgsr only
 *   runs on Node: the question is answered at build time.
 * Built-in modules that libraries load at start-up but a check never uses are loaded on first use
 * instead (measured with process.moduleLoadList: a one-shot check loaded Node's whole crypto with
 * WebCrypto, child_process and dns for nothing):
 * - pg/lib/crypto/utils.js requires crypto and reads crypto.webcrypto.subtle at load; it serves
 *   only md5 and SCRAM authentication: its functions go through a loader here.
 * - pg/lib/connection-parameters.js requires dns for one dns.lookup (libpq's hostaddr path).
 * - commander requires child_process for executable subcommands, which pgsr has none of.
 * Each patch checks that the text it replaces is there, so a library update cannot silently undo it.
 */
const startupPatches = {
  name: 'startup-patches',
  setup(b) {
    const patch = (filter, from, to, what) =>
      b.onLoad({ filter }, async (args) => {
        const src = await readFile(args.path, 'utf8');
        if (!src.includes(from)) throw new Error(`${what} changed: ${JSON.stringify(from)} not found`);
        return { contents: src.replace(from, to), loader: 'js' };
      });
    patch(
      /[\\/]pg[\\/]lib[\\/]stream\.js$/,
      'function isCloudflareRuntime() {',
      'function isCloudflareRuntime() {\n  return false;',
      'pg/lib/stream.js',
    );
    // The module's whole body becomes a function run on first use; its exports are forwarders.
    b.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]crypto[\\/]utils\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      const head = "const nodeCrypto = require('crypto')\n\nmodule.exports = {";
      const names = /module\.exports = \{([^}]*)\}/
        .exec(src)?.[1]
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean);
      if (!src.startsWith(head) || !names?.length)
        throw new Error('pg/lib/crypto/utils.js changed: its head or export list not found');
      const body = src.replace(head, "const nodeCrypto = require('crypto')\nconst exported = {");
      const forwarders = `let loaded\nconst load = () => (loaded ??= realUtils())\nmodule.exports = {${names.map((n) => `\n  ${n}: (...a) => load().${n}(...a),`).join('')}\n}\n`;
      return { contents: `${forwarders}function realUtils() {\n${body}\nreturn exported\n}\n`, loader: 'js' };
    });
    patch(
      /[\\/]pg[\\/]lib[\\/]connection-parameters\.js$/,
      "const dns = require('dns')",
      "const dns = { lookup: (...a) => require('dns').lookup(...a) }",
      'pg/lib/connection-parameters.js',
    );
    patch(
      /[\\/]commander[\\/]lib[\\/]command\.js$/,
      "const childProcess = require('node:child_process');",
      "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };",
      'commander/lib/command.js',
    );
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * The two outputs share everything but the optional pg-native binding. The bundle leaves it to
 * Node's require, which fails with MODULE_NOT_FOUND (node-postgres then carries on without it).
 * A single executable's require knows only built-in modules and fails with another code that
 * node-postgres would rethrow; the SEA's input takes a stub that fails the bundle's way instead.
 */
const targets = [
  // Japanese messages as UTF-8, not \u escapes: a smaller file to read and parse.
  { outfile: 'dist/pgsr.cjs', banner: { js: '#!/usr/bin/env node' }, external: ['pg-native'], charset: 'utf8' },
  // ASCII (\u escapes): the launcher makes a one-byte string of it without decoding UTF-8, and
  // V8 keeps half the bytes of source for it.
  {
    outfile: 'dist/sea/pgsr-sea.cjs',
    alias: { 'pg-native': new URL('./sea/pg-native-stub.cjs', import.meta.url).pathname },
    charset: 'ascii',
  },
];
// PGSR_BUILD_OUT: another output directory (the package script's second version for the upgrade
// test must not overwrite the bundle the tests run).
const outDir = process.env.PGSR_BUILD_OUT || new URL('../dist', import.meta.url).pathname;
for (const t of targets) {
  const outfile = join(outDir, t.outfile.replace(/^dist\//, ''));
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
    charset: t.charset,
    // import() of built-in modules as require(): no ESM loader start-up for a lazy load, and a
    // script that runs under vm.Script (the single executable's launcher) needs no import callback.
    supported: { 'dynamic-import': false },
    banner: t.banner,
    define: { PGSR_VERSION: JSON.stringify(process.env.PGSR_BUILD_VERSION || pkg.version) },
    external: t.external,
    alias: t.alias,
    logLevel: 'warning',
    plugins: [startupPatches],
  });
  // Written to a temporary file and renamed into place: an agent or monitor running the bundle
  // while it is rebuilt (or upgraded) reads either the old file or the new one, never half of one.
  const bytes = result.outputFiles[0].contents;
  if (t.charset === 'ascii' && bytes.some((b) => b > 0x7f))
    throw new Error(`${outfile}: not ASCII, the launcher would read it wrongly`);
  const tmp = `${outfile}.tmp-${process.pid}`;
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(tmp, bytes, { mode: 0o755 });
  chmodSync(tmp, 0o755);
  renameSync(tmp, outfile);
  console.log(`built ${outfile} (${(statSync(outfile).size / 1024).toFixed(0)} KiB)`);
}
