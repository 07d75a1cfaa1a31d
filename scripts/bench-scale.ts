/**
 * The bench at scale (issue 11): what the watch cache holds per object next to the object's JSON size, with 10k,
 * 50k and 100k objects stored, and the create rate with 50k objects already stored next to an empty store's.
 * BENCH_SCALE (a comma-separated list of object counts) sizes the first; BENCH_SCALE_STORED the second.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KV } from '../runtime/storage/kv.ts';
import { SqliteKV } from '../runtime/storage/sqlite/kv.ts';
import { ObjectStore } from '../runtime/storage/store.ts';
import { Cacher } from '../runtime/storage/cacher/cacher.ts';
import { startServer, type TestServer } from '../test/support/server.ts';
import { serverCpuMs } from './server-cpu.ts';

type Record = (key: string, value: number) => number;
type Rate = (label: string, ops: number, run: (i: number) => Promise<unknown>, server?: TestServer, key?: string) => Promise<number>;

const counts = (process.env.BENCH_SCALE ?? '10000,50000,100000').split(',').map(Number).filter((n) => n > 0);
const stored = Number(process.env.BENCH_SCALE_STORED ?? 50000);

/** A full collection (the flag set at run time, then the function taken from a fresh context). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

/** A ConfigMap as the server stores it after `kubectl create`: identity, times, one managedFields entry, 100 bytes of data. */
function storedConfigMap(ns: string, name: string): Uint8Array {
  const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return new TextEncoder().encode(
    JSON.stringify({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: {
        name, namespace: ns, uid: randomUUID(), creationTimestamp: time, labels: { app: 'bench', shard: String(name.length % 7) },
        managedFields: [{ manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:k': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:shard': {} } } } }],
      },
      data: { k: 'v'.repeat(100) },
    }),
  );
}

/** Writes n ConfigMaps straight into the store, 500 at a time, and returns their total JSON size in bytes. */
async function fill(kv: KV, prefix: string, ns: string, n: number): Promise<number> {
  let bytes = 0;
  for (let start = 0; start < n; start += 500) {
    const batch = Array.from({ length: Math.min(500, n - start) }, (_, j) => {
      const value = storedConfigMap(ns, `scale-${start + j}`);
      bytes += value.length;
      return kv.create(`${prefix}/configmaps/${ns}/scale-${start + j}`, value);
    });
    await Promise.all(batch);
  }
  return bytes;
}

/**
 * The watch cache's own memory per object: a Cacher over a store holding n ConfigMaps, measured in a process of
 * its own (earlier rounds would leave memory behind) with full collections before and after it fills, next to
 * the objects' JSON size.
 */
async function cacheMemory(dir: string, n: number): Promise<{ jsonBytes: number; filled: number; listed: number }> {
  const gc = collector();
  const kv = await SqliteKV.open(join(dir, `cache-${n}.db`));
  const jsonBytes = await fill(kv, '/registry', 'default', n);
  const store = new ObjectStore(kv);
  gc();
  const before = process.memoryUsage().heapUsed;
  const cacher = new Cacher(store, '/registry/configmaps/');
  if (!(await cacher.whenReady(120_000))) throw new Error(`the cache of ${n} objects did not fill`);
  gc();
  const filled = process.memoryUsage().heapUsed - before;
  await cacher.list('/registry/configmaps/', { resourceVersion: '0' });
  gc();
  const listed = process.memoryUsage().heapUsed - before;
  cacher.stop();
  await kv.close();
  return { jsonBytes, filled, listed };
}

export async function benchCacheMemory(dir: string, record: Record): Promise<void> {
  console.log('\nwatch cache memory per object (embedded SQLite, ConfigMaps with labels and managedFields)');
  for (const n of counts) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'cache-memory', dir, String(n)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`cache memory of ${n} objects: ${run.stderr}`);
    const m = JSON.parse(run.stdout.trim().split('\n').pop()!) as Awaited<ReturnType<typeof cacheMemory>>;
    const perJson = m.jsonBytes / n;
    const perFilled = m.filled / n;
    const perListed = m.listed / n;
    record(`cache.${n}.jsonBytesPerObject`, perJson);
    record(`cache.${n}.bytesPerObject`, perFilled);
    record(`cache.${n}.ratio`, perFilled / perJson);
    record(`cache.${n}.bytesPerObjectListed`, perListed);
    console.log(
      `  ${String(n).padStart(7)} objects of ${perJson.toFixed(0)} B JSON: ${perFilled.toFixed(0)} B each in the cache (${(perFilled / perJson).toFixed(2)}x), ` +
        `${perListed.toFixed(0)} B after a list; target <= 2x`,
    );
  }
}

/**
 * Waits until the server is idle (under a fifth of a core over half a second, at most a minute): after a start on
 * a big store, its informers and the garbage collector's graph take in every object first. Returns the wait in ms.
 */
async function settled(server: TestServer): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < 60_000) {
    const before = serverCpuMs(server);
    await new Promise((r) => setTimeout(r, 500));
    if (serverCpuMs(server) - before < 100) break;
  }
  return performance.now() - started;
}

/**
 * Creates through the server on an empty store, then on one holding `stored` ConfigMaps in another namespace
 * (written into its SQLite file while it was stopped), at the same concurrency, each once the server is idle.
 */
export async function benchCreatesAtScale(dir: string, record: Record, rate: Rate, ops: number): Promise<void> {
  console.log(`\ncreates with ${stored} objects stored (embedded SQLite)`);
  const body = (i: number) => ({ metadata: { name: `c-${i}` }, data: { k: 'v'.repeat(100) } });
  const path = '/api/v1/namespaces/default/configmaps';
  const empty = await startServer({ dataDir: join(dir, 'scale-empty') });
  await settled(empty);
  let emptyRate: number;
  try {
    emptyRate = await rate('POST configmaps, empty store', ops, (i) => empty.request('POST', path, body(i)), empty, 'scale.create.empty');
  } finally {
    await empty.stop();
  }
  const dataDir = join(dir, 'scale-full');
  await (await startServer({ dataDir })).stop();
  const kv = await SqliteKV.open(join(dataDir, 'kube-ts.db'));
  await fill(kv, '/registry', 'kube-public', stored);
  await kv.close();
  const full = await startServer({ dataDir });
  const settling = await settled(full);
  record('scale.settleMs', settling);
  console.log(`  ${stored} objects taken in by the server ${settling.toFixed(0)} ms after it was ready`);
  try {
    const fullRate = await rate(`POST configmaps, ${stored} stored`, ops, (i) => full.request('POST', path, body(i)), full, 'scale.create.stored');
    record('scale.create.ratio', fullRate / emptyRate);
    console.log(`  ${'with objects stored / empty'.padEnd(38)} ${(fullRate / emptyRate).toFixed(2).padStart(7)}   target >= 0.9`);
  } finally {
    await full.stop();
  }
}

// `tsx scripts/bench-scale.ts cache-memory <dir> <n>`: one round of benchCacheMemory, printed as JSON.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'cache-memory') {
  console.log(JSON.stringify(await cacheMemory(process.argv[3], Number(process.argv[4]))));
}
