/**
 * V8's heap through the server's start-up (scripts/start.mjs). Start-up allocates tens of MB, most of which lives as
 * long as the server (types, validators, caches, informers' objects). V8 answers a young generation whose objects
 * survive by doubling it, up to 16 MB a semi-space, and an idle process keeps it: V8's memory reducer shrinks it
 * only once the allocation rate has been low for a while (~30 s after ready here), so for that time the idle server
 * held ~10 MB more (97-100 MB resident against 88). Held at its first size, start-up's survivors are promoted
 * sooner, which they would be anyway; once start-up is over the young generation may grow again under load, as before.
 *
 * One full collection when start-up is over frees what start-up dropped: the bundle's text as read (4.7 MB outside
 * V8's heap, copied into it by the compile), the code cache's bytes, the bootstrap's garbage. Without it they stay
 * until a major GC, which an idle server does not reach soon.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's default (src/flags/flag-definitions.h), restored once start-up is over. */
const defaultGrowthFactor = 2;
/** Left alone when the command line sets it (`node --semi-space-growth-factor=4 scripts/start.mjs`). */
const growthSetByUser = process.execArgv.some((a) => a.startsWith('--semi-space-growth-factor'));

export function holdYoungGeneration() {
  if (!growthSetByUser) setFlagsFromString('--semi-space-growth-factor=1');
}

export function releaseStartupMemory() {
  if (!growthSetByUser) setFlagsFromString(`--semi-space-growth-factor=${defaultGrowthFactor}`);
  collectGarbage();
}

/**
 * A full GC. The `gc` function exists only in contexts made while --expose-gc is on: one is made for it and the flag
 * turned off again, as V8 accepts a code cache only under the flags it was made with (start.mjs writes one after this).
 */
function collectGarbage() {
  if (typeof globalThis.gc === 'function') return globalThis.gc();
  setFlagsFromString('--expose-gc');
  try {
    runInNewContext('gc')();
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
