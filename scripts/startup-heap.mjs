/**
 * V8's heap through the server's start-up (scripts/start.mjs). Start-up allocates tens of MB, most of which lives as
 * long as the server (types, validators, caches, informers' objects). V8 answers a young generation whose objects
 * survive by doubling it, up to 16 MB a semi-space, and an idle process keeps it: V8's memory reducer shrinks it
 * only once the allocation rate has been low for a while (~30 s after ready here), so for that time the idle server
 * held ~10 MB more (97-100 MB resident against 88). Held at its first size, start-up's survivors are promoted
 * sooner, which they would be anyway; once start-up is over the young generation may grow again under load, as before.
 *
 * No full collection is forced once start-up is over (there was one, `gc()` from a context made with --expose-gc):
 * idle memory is the same without it (94-95 MB 3 s after ready either way here: V8's own collections during
 * start-up already free what it was for), and servers started with it were often slower on every request for the
 * rest of their life. perf then saw V8 missing its inline caches on each request (hono's Context initializer left in
 * baseline code, missing its DefineNamedOwnIC; Node's OutgoingMessage and nextTick stores on the runtime's slow
 * paths): 2-12% of the server's samples in each of 10 starts with the collection, in 2 of 11 without it, none in 3 runs
 * of the bundle without start.mjs; GET /version cost a median 81.5 µs of server CPU (perf) against 66.5 without.
 * The nextTick part is V8 forgetting the shape of nextTick's queued objects in a full collection that finds none
 * alive (tick-shape.mjs, which now keeps one); the collection forced at an idle moment made that certain, where
 * start-up's own collections only sometimes fall at such a moment.
 */
import { setFlagsFromString } from 'node:v8';

/** V8's default (src/flags/flag-definitions.h), restored once start-up is over. */
const defaultGrowthFactor = 2;
/** Left alone when the command line sets it (`node --semi-space-growth-factor=4 scripts/start.mjs`). */
const growthSetByUser = process.execArgv.some((a) => a.startsWith('--semi-space-growth-factor'));

export function holdYoungGeneration() {
  if (!growthSetByUser) setFlagsFromString('--semi-space-growth-factor=1');
}

export function releaseYoungGeneration() {
  if (!growthSetByUser) setFlagsFromString(`--semi-space-growth-factor=${defaultGrowthFactor}`);
}
