// The single executable's main script. The bundle (SEA asset `pgsr.cjs`) runs through vm.Script
// with a V8 code cache (asset `pgsr.cache`) that `npm run package` takes *after* a training run
// of real checks: it holds the functions those runs compiled, where the SEA's own useCodeCache
// holds only what compiling without running compiles (top-level code), so every run compiled
// the check's functions again. A cache V8 rejects (another V8 or other flags) only costs that
// compile: V8 checks it and compiles from source.
//
// Training (package.mjs): plain `node launcher.cjs ARGS...` with PGSR_SEA_TRAIN=BUNDLE:CACHE and
// PGSR_SEA_TRAIN_RUNS=<JSON list of argument lists> runs each in turn, then writes the cache.
'use strict';
const vm = require('node:vm');

// PGSR_SEA_TRACE=1: start-up milestones on stderr, ms since the process started (diagnostics).
const perf = process.env.PGSR_SEA_TRACE === '1' ? require('node:perf_hooks').performance : undefined;
const now = perf && (() => perf.now());
const marks = now ? [['launcher', now()]] : undefined;
const mark = (name) => marks && marks.push([name, now()]);
if (marks)
  process.on('exit', () =>
    process.stderr.write(
      `pgsr: start-up ${[...marks, ['exit', now()]].map(([n, t]) => `${n}=${t.toFixed(1)}`).join(' ')}\n`,
    ),
  );

const train = process.env.PGSR_SEA_TRAIN;
let code;
let cachedData;
if (train) {
  code = require('node:fs').readFileSync(train.split(':')[0], 'latin1');
} else {
  const sea = require('node:sea');
  // The bundle is ASCII (scripts/build.mjs): latin1 copies bytes into a one-byte string.
  code = Buffer.from(sea.getRawAsset('pgsr.cjs')).toString('latin1');
  try {
    cachedData = Buffer.from(sea.getRawAsset('pgsr.cache'));
  } catch {
    cachedData = undefined;
  }
}
mark('assets');
const filename = process.execPath;
const script = new vm.Script(
  `(function (exports, require, module, __filename, __dirname) {${code.replace(/^#!.*/, '')}\n})`,
  { filename, cachedData },
);
if (process.env.PGSR_SEA_CACHE_CHECK === '1')
  process.stderr.write(
    `pgsr: code cache ${cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted'}\n`,
  );
mark('compiled');
const mod = { exports: {} };
script.runInThisContext()(mod.exports, require, mod, filename, require('node:path').dirname(filename));
mark('top-level');
const main = mod.exports.main;
const fail = (err) => {
  process.stderr.write(`pgsr: internal error: ${String((err && err.message) || err).split('\n')[0]}\n`);
  process.exit(6);
};

if (train) {
  (async () => {
    let code = 0;
    for (const args of JSON.parse(process.env.PGSR_SEA_TRAIN_RUNS || '[]'))
      code = Math.max(code, await main(args, filename));
    require('node:fs').writeFileSync(train.split(':')[1], script.createCachedData());
    process.exit(code);
  })().catch(fail);
} else {
  main(process.argv.slice(2), process.argv[1]).then((c) => process.exit(c), fail);
}
