#!/usr/bin/env node
/**
 * `npm start -- [flags]`: runs the built server (dist/, see build.mjs) in this process. The build is redone
 * first when any source is newer than it (after `npm run generate` or an edit), so `npm start` always serves
 * what apis/ and runtime/ say.
 *
 * The bundle runs from V8's code cache when there is one for it: compiling 3.5 MB of JavaScript was a quarter of
 * the time to ready. The first start after a build writes the cache once start-up is over (the functions start-up
 * ran are compiled by then, so they come from the cache too); a cache V8 refuses (another Node version or flags) is
 * written again. A dist/ that is not writable only means no cache.
 *
 * Start-up keeps V8's young generation at its first size (startup-heap.mjs): the server idles with the memory its
 * start-up left, and an idle V8 gives it back only half a minute later.
 *
 * The shape of nextTick's queued objects is kept alive from the first line on (tick-shape.mjs): a full collection of
 * start-up's that found no tick queued left V8 adding their keys through its runtime for the server's life.
 */
// First, before start-up's first full collections: see tick-shape.mjs.
import './tick-shape.mjs';
import { existsSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { codeCache, entry, root } from './dist.mjs';
import { holdYoungGeneration, releaseYoungGeneration } from './startup-heap.mjs';

function newestSource() {
  let newest = statSync(join(root, 'package-lock.json')).mtimeMs;
  for (const dir of ['runtime', 'generated', 'apis']) {
    for (const f of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (f.isFile() && f.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(f.parentPath ?? f.path, f.name)).mtimeMs);
    }
  }
  return newest;
}

function readCache() {
  try {
    return readFileSync(codeCache);
  } catch {
    return undefined;
  }
}

function writeCache(script) {
  try {
    const tmp = `${codeCache}.${process.pid}`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, codeCache); // readers see the old file or the whole new one
  } catch {
    // not writable: start-ups compile the bundle
  }
}

if (!existsSync(entry) || statSync(entry).mtimeMs < newestSource()) {
  console.error('sources changed since the last build: building dist/ first');
  const { buildServer } = await import('./build.mjs');
  await buildServer();
}

/**
 * The bundle compiled, from the cache when V8 takes it. The cache's bytes are not kept: referenced from this
 * module's scope they stayed resident (3 MB) for the server's life.
 */
function compile() {
  const cachedData = readCache();
  // The bundle is ASCII (build.mjs), so reading it as Latin-1 gives the same string without UTF-8 decoding: tens of
  // milliseconds less for 4 MB.
  const script = new Script(Module.wrap(readFileSync(entry, 'latin1')), { filename: entry, cachedData });
  return { script, cached: cachedData !== undefined && !script.cachedDataRejected };
}

// The bundle turns this V8 flag on as it loads (runtime/cel/library/regex.ts); V8 accepts a code cache only under
// the flags it was made with, so it is on before the bundle is compiled, as it is when the cache is written. The
// flags start-up changes for itself (startup-heap.mjs) are set after the compile and back to V8's before the write.
setFlagsFromString('--enable-experimental-regexp-engine');
const { script, cached } = compile();
holdYoungGeneration();
const module = { exports: {}, id: entry, filename: entry, loaded: false };
script.runInThisContext()(module.exports, createRequire(entry), module, entry, dirname(entry));
// runtime/main.ts's `started`: the server serves and its post-start hooks have finished.
module.exports.started?.then(() => {
  releaseYoungGeneration();
  if (!cached) writeCache(script);
});
