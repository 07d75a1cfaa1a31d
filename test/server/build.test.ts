/**
 * The server as `npm start` runs it: compiled once into dist/ (at `npm ci`, through `prepare`), started from
 * plain JavaScript with no TypeScript compiler in the process, and rebuilt first when a source is newer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type TestServer } from '../support/server.ts';
import { kubectlRunner } from '../support/kubectl.ts';

const root = new URL('../../', import.meta.url).pathname;
let server: TestServer;

before(async () => {
  server = await startServer({ entry: 'scripts/start.mjs' });
});
after(async () => {
  await server?.stop();
});

test('npm start serves the built server: kubectl works against it and tsx is not loaded', async () => {
  const entry = join(root, 'dist/kube-ts.cjs');
  assert.ok(existsSync(entry), 'dist/kube-ts.cjs was built');
  // The build is at least as new as every source it was made from.
  const runtimeMain = statSync(join(root, 'runtime/main.ts')).mtimeMs;
  assert.ok(statSync(entry).mtimeMs >= runtimeMain);
  // start.mjs reads the bundle as Latin-1: every byte must be ASCII for that to be the text esbuild wrote.
  assert.ok(readFileSync(entry).every((b) => b < 0x80), 'the bundle is ASCII');
  const kubectl = kubectlRunner(server.kubeconfig);
  const ns = await kubectl.run(['get', 'namespace', 'default', '-o', 'jsonpath={.metadata.name}']);
  assert.equal(ns.code, 0, ns.stderr);
  assert.equal(ns.stdout, 'default');
  const created = await kubectl.run(['create', 'configmap', 'built', '--from-literal=k=v']);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /configmap\/built created/);
  // The serving process runs JavaScript only: started without the TypeScript loader.
  assert.doesNotMatch(readFileSync(`/proc/${server.process.pid}/cmdline`, 'utf8'), /tsx/);
});

test('a start leaves V8\'s code cache of the bundle; a cache V8 cannot use is replaced, and the server starts all the same', async (t) => {
  const cache = join(root, 'dist/kube-ts.cjs.v8-cache');
  writeFileSync(cache, 'not a code cache');
  const again = await startServer({ entry: 'scripts/start.mjs', t });
  const kubectl = kubectlRunner(again.kubeconfig);
  const ns = await kubectl.run(['get', 'namespace', 'kube-system', '-o', 'jsonpath={.metadata.name}']);
  assert.equal(ns.code, 0, ns.stderr);
  assert.equal(ns.stdout, 'kube-system');
  // Written once start-up is over (the post-start hooks finished), when the functions start-up ran are compiled.
  const deadline = Date.now() + 15_000;
  while (readFileSync(cache).length < 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.ok(readFileSync(cache).length >= 1_000_000, 'the unusable cache was replaced by V8\'s code of the bundle');
  await again.stop();
  // Written under the flags a start compiles with (start-up's own V8 flags are back to V8's by then): the next start
  // takes it and leaves it as it is.
  const written = statSync(cache).mtimeMs;
  const third = await startServer({ entry: 'scripts/start.mjs', t });
  assert.equal((await third.request('GET', '/readyz')).status, 200);
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal(statSync(cache).mtimeMs, written, 'the next start used the cache (a refused one is written again)');
});

test('the idle server holds the young generation start-up began with, not one grown for start-up\'s survivors', async () => {
  // V8 doubles the young generation while start-up's objects survive (to 16 MB a semi-space) and an idle process
  // kept it for ~30 s: ~10 MB of the idle server's resident memory (scripts/startup-heap.mjs).
  const metrics = (await server.request('GET', '/metrics')).text;
  const young = Number(/^nodejs_heap_space_size_total_bytes\{space="new"\} (\d+)$/m.exec(metrics)?.[1]);
  assert.ok(young > 0, 'the young generation\'s size is reported');
  assert.ok(young <= 4 * 2 ** 20, `young generation ${(young / 2 ** 20).toFixed(1)} MB after start-up (at most 4)`);
});

/**
 * How V8 remembers the keys nextTick adds to each queued object, after a full collection that found no tick queued
 * (scripts/tick-shape.mjs): MEGAMORPHIC (for good: each nextTick adds them through V8's runtime) or MONOMORPHIC.
 */
function nextTickKeysAfterFullGC(keepShape: boolean): string[] {
  const script = `${keepShape ? `await import(${JSON.stringify(join(root, 'scripts/tick-shape.mjs'))});` : ''}
    const ticks = async (n) => { for (let i = 0; i < n; i++) process.nextTick(() => {}); await new Promise((r) => setTimeout(r, 10)); };
    await ticks(200);
    gc();
    await ticks(5);
    %DebugPrint(process.nextTick);`;
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return [...run.stdout.matchAll(/DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((m) => m[1]!);
}

test('nextTick keeps its fast path through a full collection with no tick queued: start.mjs keeps its objects\' shape first', (t) => {
  const first = /^import [^;]+;/m.exec(readFileSync(join(root, 'scripts/start.mjs'), 'utf8'))?.[0];
  assert.equal(first, "import './tick-shape.mjs';", 'start.mjs imports tick-shape.mjs before anything else');
  if (!nextTickKeysAfterFullGC(false).includes('MEGAMORPHIC')) return t.skip('this Node keeps nextTick\'s keys monomorphic anyway');
  const kept = nextTickKeysAfterFullGC(true);
  assert.ok(kept.length >= 2, `nextTick's computed keys are seen (${kept.join(', ')})`);
  assert.deepEqual(kept.filter((state) => state !== 'MONOMORPHIC'), [], 'every key of nextTick\'s objects stays monomorphic');
});
