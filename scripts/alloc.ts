/**
 * `npx tsx scripts/alloc.ts [--root DIR] [--top N] [--quota] [--etcd] [--list]`: bytes allocated and CPU µs per
 * request of the built server (dist/, as `npm start` runs it) on SQLite (or, with `--etcd`, on a fresh etcd it
 * starts, with the calls per request etcd counted by gRPC method: Range, Txn, LeaseGrant ...), for creates, updates and consistent gets of a small ConfigMap (`--quota`: charged to a ResourceQuota;
 * `--version`: then GET /version, the shared handler chain alone; `--http2-get`: then the gets again over one HTTP/2 session
 * of 8 concurrent streams, as kubectl sends them, warmed up over HTTP/2 first; `--list`: then 100 lists of 500, twice consistent (the first pays for warming up) and once at rv=0; `--protobuf`:
 * gets and lists ask for protobuf, as client-go does, and the gets run twice, the second reading the same objects; `--pods`: then
 * pod creates, as the bench's kubelet-style watches make them), with the
 * functions that allocate and spend the most. Unlike `npm run bench` the byte counts do not depend on how busy the
 * machine is (scripts/alloc-probe.mjs samples every allocation, kept or collected); `--cpu-only` gives the CPU time
 * without the profiler's overhead; `--cpu` adds a CPU profile by function (self, with callees) and self time by area (runtime/<dir>, package, Node) (the profiler's own
 * work shows as `dispatch` under node:inspector); `--stack TEXT` prints the call paths to frames matching TEXT, of
 * bytes and (with `--cpu`) of CPU; `--survivors` counts only the bytes that outlived a scavenge. For CPU by
 * function on a busy machine, scripts/cpu-perf.ts (perf, on-CPU samples) is the truer picture. ALLOC_OPS sizes it; ALLOC_WARMUP (default 2000) creates, updates and gets come first, unmeasured.
 *
 * `--watch`: instead, watch fan-out: WATCHERS (default 200) watches of the default namespace's ConfigMaps, each on
 * its own HTTP/1.1 connection (`--http2`: multiplexed over HTTP/2 sessions of 100 streams each, as client-go does;
 * `--protobuf`: in protobuf), then WATCH_EVENTS (default 200) updates of one ConfigMap one after the other; the phase
 * ends once every watcher has received every event (counted by frame, not parsed). Figures are per delivered event
 * (watchers x events), the updates' own cost included.
 *
 * `--token`: the requests are sent by a bearer-token user whom RBAC lets at the ConfigMaps (scripts/token-user.ts, as
 * the bench's auth section; the server gets `--token-auth-file`) instead of the admin, whose client certificate in
 * system:masters skips authorization and APF's queues: compare a run with and one without.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SourceMap } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type TestServer } from '../test/support/server.ts';
import { startEtcd } from '../test/support/etcd.ts';
import { openWatches } from './watch-clients.ts';
import { http2Getter } from './h2-client.ts';
import { grantConfigMaps, tokenClient, tokenUserArgs, type Send } from './token-user.ts';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const root = arg('--root') ?? new URL('../', import.meta.url).pathname;
const top = Number(arg('--top') ?? 12);
/** `--cpu`: also a CPU profile by function (adds its own overhead to the CPU figure). */
const cpuDetail = process.argv.includes('--cpu');
const stackOf = arg('--stack');
/** `--cpu-only`: no profiling at all, so the CPU figure is the server's own (bytes then read 0). */
const cpuOnly = process.argv.includes('--cpu-only');
process.env.ALLOC_PROBE_CPU_ONLY = cpuOnly ? '1' : '';
/**
 * `--survivors`: only the bytes that outlived a scavenge (young objects still reachable at the next minor GC, or
 * held there by old objects already dead): what the scavenger copies and promotes, and major GCs then collect. The
 * probe scavenges before it stops, and each phase tells how many major GCs it had: one also counts the young
 * generation's dead objects of its moment, so compare phases with as many.
 */
const survivors = process.argv.includes('--survivors');
process.env.ALLOC_PROBE_SURVIVORS = survivors ? '1' : '';
const allOps = Number(process.env.ALLOC_OPS ?? 400);
const concurrency = 8;
const warmOps = Number(process.env.ALLOC_WARMUP ?? 2000);
process.env.ALLOC_PROBE_CPU = cpuDetail ? '1' : '';
const ns = '/api/v1/namespaces/default/configmaps';
const protobuf = process.argv.includes('--protobuf');
const accept = protobuf ? { Accept: 'application/vnd.kubernetes.protobuf' } : undefined;

interface Frame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface HeapNode { callFrame: Frame; selfSize: number; children: HeapNode[] }
interface CpuNode { id: number; callFrame: Frame; children?: number[] }

const mapFile = join(root, 'dist/kube-ts.cjs.map');
const sourceMap = existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : undefined;
/** A frame as `name file:line`, through dist's source map when the frame is in the bundle. */
function where(f: Frame): string {
  const name = f.functionName || '(anon)';
  if (sourceMap && f.url.endsWith('kube-ts.cjs')) {
    const e = sourceMap.findEntry(f.lineNumber, f.columnNumber) as { originalSource?: string; originalLine?: number };
    if (e.originalSource) return `${name} ${e.originalSource.replace(/^.*?\/(runtime|generated|node_modules)\//, '$1/')}:${e.originalLine! + 1}`;
  }
  return `${name} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
}

/** `ops` requests made by `run`, `concurrency` at a time. */
function phase(server: TestServer, out: string, label: string, run: (i: number) => Promise<unknown>, ops = allOps) {
  let next = 0;
  return measure(server, out, label, () => Promise.all(Array.from({ length: concurrency }, async () => { while (next < ops) await run(next++); })), ops, 'request');
}

/** What the server allocates and spends while `drive` runs, per one of its `ops` (a request, a delivery). */
async function measure(server: TestServer, out: string, label: string, drive: () => Promise<unknown>, ops: number, per: string) {
  rmSync(out, { force: true });
  rmSync(out + '.ready', { force: true });
  server.process.kill('SIGUSR2');
  while (!existsSync(out + '.ready')) await sleep(20);
  const callsBefore = await etcdCalls();
  await drive();
  const calls = await etcdCalls();
  for (const [method, n] of callsBefore) calls.set(method, calls.get(method)! - n);
  server.process.kill('SIGUSR2');
  while (!existsSync(out)) await sleep(20);
  await sleep(50);
  const { cpuMicros, majorGCs, heap, prof } = JSON.parse(readFileSync(out, 'utf8')) as { cpuMicros: number; majorGCs: number; heap: { head: HeapNode }; prof: { nodes: CpuNode[]; samples: number[]; timeDeltas: number[] } };
  const bytes = new Map<string, number>();
  let total = 0;
  // Built-ins (Map, Array.prototype.map ...) are named with their JavaScript caller.
  const walk = (n: HeapNode, caller: string) => {
    total += n.selfSize;
    const k = n.callFrame.url ? where(n.callFrame) : `${n.callFrame.functionName} <- ${caller}`;
    if (n.selfSize) bytes.set(k, (bytes.get(k) ?? 0) + n.selfSize);
    for (const c of n.children) walk(c, n.callFrame.url ? k : caller);
  };
  walk(heap.head, '');
  // `--stack TEXT`: the call paths that lead to frames matching TEXT, with their bytes below.
  const stacks = new Map<string, number>();
  const inclusive = (n: HeapNode): number => n.selfSize + n.children.reduce((a, c) => a + inclusive(c), 0);
  const find = (n: HeapNode, path: string[]) => {
    const here = [...path, where(n.callFrame)];
    if (stackOf && here.at(-1)!.includes(stackOf)) {
      const k = here.slice(-6).join(' < ');
      stacks.set(k, (stacks.get(k) ?? 0) + inclusive(n));
      return;
    }
    for (const c of n.children) find(c, here);
  };
  if (stackOf) find(heap.head, []);
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const self = new Map<string, number>();
  // With `--stack TEXT` and `--cpu`: the call paths of the samples whose own frame matches TEXT.
  const cpuStacks = new Map<string, number>();
  /** CPU of each frame with what it called (a frame counted once per sample however often it recurs). */
  const withCallees = new Map<string, number>();
  prof.samples.forEach((id, i) => {
    const k = where(byId.get(id)!.callFrame);
    if (!cpuDetail) return;
    self.set(k, (self.get(k) ?? 0) + (prof.timeDeltas[i] ?? 0));
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) seen.add(where(byId.get(at)!.callFrame));
    for (const f of seen) withCallees.set(f, (withCallees.get(f) ?? 0) + (prof.timeDeltas[i] ?? 0));
    if (!stackOf || !k.includes(stackOf)) return;
    const path: string[] = [];
    for (let at: number | undefined = id; at !== undefined && path.length < 6; at = parentOf.get(at)) path.push(where(byId.get(at)!.callFrame));
    const p = path.join(' < ');
    cpuStacks.set(p, (cpuStacks.get(p) ?? 0) + (prof.timeDeltas[i] ?? 0));
  });
  const queries = etcd ? `, etcd calls ${[...calls].filter(([, n]) => n > 0).map(([m, n]) => `${m} ${(n / ops).toFixed(3)}`).join(', ') || 'none'}` : '';
  console.log(`${label}: ${(total / ops / 1024).toFixed(1)} KB allocated, ${(cpuMicros / ops).toFixed(0)} µs CPU${cpuOnly ? '' : ' (profiling on)'}${queries} per ${per}${survivors ? ` (${majorGCs} major GCs)` : ''}`);
  for (const [k, v] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`    ${(v / ops / 1024).toFixed(2).padStart(7)} KB  ${k}`);
  for (const [k, v] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`    ${(v / ops / 1024).toFixed(2).padStart(7)} KB  ${k.split(' < ').reverse().join(' < ')}`);
  if (!cpuDetail) return;
  console.log(`  self CPU µs/${per}:`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`    ${(v / ops).toFixed(1).padStart(7)} µs  ${k}`);
  console.log(`  self CPU µs/${per} by area:`);
  const areas = new Map<string, number>();
  for (const [k, v] of self) areas.set(areaOf(k), (areas.get(areaOf(k)) ?? 0) + v);
  for (const [k, v] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`    ${(v / ops).toFixed(1).padStart(7)} µs  ${k}`);
  console.log(`  CPU µs/${per} with callees:`);
  for (const [k, v] of [...withCallees].sort((a, b) => b[1] - a[1]).slice(0, top * 2)) console.log(`    ${(v / ops).toFixed(1).padStart(7)} µs  ${k}`);
  if (cpuStacks.size) console.log(`  CPU µs/${per} whose own frame is ${stackOf}, by call path:`);
  for (const [k, v] of [...cpuStacks].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`    ${(v / ops).toFixed(1).padStart(7)} µs  ${k}`);
}

/**
 * How many calls of each gRPC method (Range, Txn, LeaseGrant, ...) the test etcd has answered (its gRPC counters;
 * none without --etcd): what the server sent it. Watch is a stream and counts when it ends, not per event.
 */
async function etcdCalls(): Promise<Map<string, number>> {
  const n = new Map<string, number>();
  if (!etcd) return n;
  const text = await (await fetch(`${etcd.endpoint}/metrics`)).text();
  for (const m of text.matchAll(/^grpc_server_handled_total\{[^}]*grpc_method="(\w+)"[^}]*\} (\d+)/gm)) n.set(m[1], (n.get(m[1]) ?? 0) + Number(m[2]));
  return n;
}

/** The part of the code a frame (`name file:line`) belongs to: runtime/<dir>, generated, a package, or Node. */
function areaOf(frame: string): string {
  const file = frame.slice(frame.lastIndexOf(' ') + 1).replace(/:\d+$/, '');
  const m = /^(runtime\/[^/]+|generated|node_modules\/(?:@[^/]+\/)?[^/]+)/.exec(file);
  if (m) return m[1];
  return file === '' || file === '0' ? frame.slice(0, frame.lastIndexOf(' ')) : file.split('/')[0];
}

/** Watch fan-out (`--watch`): see the header. */
async function watchPhase(server: TestServer, out: string) {
  const watchers = Number(process.env.WATCHERS ?? 200);
  const events = Number(process.env.WATCH_EVENTS ?? 200);
  const http2 = process.argv.includes('--http2');
  const name = `${ns}/watched`;
  const created = await server.request('POST', ns, { metadata: { name: 'watched' }, data: { k: 'v' } });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
  const update = (i: number) => server.request('PUT', name, { metadata: { name: 'watched' }, data: { k: `v${i}`.padEnd(100, 'v') } });
  for (let i = 0; i < 50; i++) await update(i); // warm up
  const rv = (await server.request('GET', name)).json.metadata.resourceVersion;
  const watches = await openWatches(server, `${ns}?watch=true&resourceVersion=${rv}`, watchers, http2, accept ?? {}, protobuf);
  const how = `${watchers} watchers${http2 ? ' over HTTP/2' : ', HTTP/1.1'}${protobuf ? ', protobuf' : ''}`;
  try {
    await measure(server, out, `watch, ${how}, ${events} updates`, async () => {
      for (let i = 0; i < events; i++) {
        const res = await update(1000 + i);
        if (res.status !== 200) throw new Error(`update: ${res.status} ${res.text}`);
      }
      // Every watcher has every event (at most 60 s).
      for (let waited = 0; watches.some((w) => w.events < events); waited += 10) {
        if (waited > 60_000) throw new Error(`watchers missed events: ${watches.filter((w) => w.events < events).length} short`);
        await sleep(10);
      }
    }, watchers * events, 'delivered event');
  } finally {
    for (const w of watches) w.close();
  }
}

process.env.KUBE_TS_SERVER_ENTRY ??= 'scripts/start.mjs';
const out = join(root, '.alloc-probe.json');
process.env.ALLOC_PROBE_OUT = out;
process.env.KUBE_TS_SERVER_NODE_ARGS = `--import ${new URL('./alloc-probe.mjs', import.meta.url).pathname}`;
/** `--etcd`: the server stores in a fresh etcd (/usr/bin/etcd) instead of SQLite; only the server's CPU is counted. */
const etcd = process.argv.includes('--etcd') ? await startEtcd() : undefined;
// The etcd is stopped even when the server fails to start, and each is stopped even when the other's stop throws.
let server: TestServer | undefined;
try {
  const token = process.argv.includes('--token');
  server = await startServer({ root, args: [...(etcd ? ['--etcd-servers', etcd.endpoint] : []), ...(token ? tokenUserArgs() : [])] });
  if (process.argv.includes('--watch')) await watchPhase(server, out);
  else await requestPhases(server);
} finally {
  try {
    await server?.stop();
  } finally {
    await etcd?.stop();
    rmSync(out, { force: true });
    rmSync(out + '.ready', { force: true });
  }
}

async function requestPhases(server: TestServer) {
  const admin: Send = async (method, path, body, headers) => (await server.request(method, path, body, headers)).status;
  const send = process.argv.includes('--token') ? tokenClient(server) : admin;
  if (send !== admin) await grantConfigMaps(server, send);
  if (process.argv.includes('--quota')) {
    const q = await server.request('POST', '/api/v1/namespaces/default/resourcequotas', { metadata: { name: 'alloc' }, spec: { hard: { 'count/configmaps': '100000' } } });
    if (q.status !== 201) throw new Error(`quota: ${q.status} ${q.text}`);
    // Admission refuses until the controller has counted the namespace (status unknown).
    while ((await server.request('GET', '/api/v1/namespaces/default/resourcequotas/alloc')).json.status?.used === undefined) await sleep(50);
  }
  const body = (i: number, c: string) => ({ metadata: { name: `a-${i}` }, data: { k: c.repeat(100) } });
  // Warm up as the phases run (ALLOC_WARMUP of each, concurrently): a fresh server spends its first thousands of
  // requests compiling its request path, on background threads that count as its CPU; 200 creates one at a time
  // left the create figure twice its steady value.
  const warm = async (run: (i: number) => Promise<unknown>) => {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => { while (next < warmOps) await run(next++); }));
  };
  await warm((i) => send('POST', ns, body(100000 + i, 'v')));
  await warm((i) => send('PUT', `${ns}/a-${100000 + i}`, body(100000 + i, 'w')));
  await warm((i) => send('GET', `${ns}/a-${100000 + i}`, undefined, accept));
  await phase(server, out, 'create', (i) => send('POST', ns, body(i, 'v')));
  await phase(server, out, 'update', (i) => send('PUT', `${ns}/a-${i}`, body(i, 'w')));
  await phase(server, out, 'get', (i) => send('GET', `${ns}/a-${i}`, undefined, accept));
  // `--version`: GET /version, the handler chain alone (no store, no encoding of an object).
  if (process.argv.includes('--version')) await phase(server, out, 'GET /version', () => send('GET', '/version'));
  if (process.argv.includes('--http2-get')) {
    const h2 = http2Getter(server);
    try {
      await warm((i) => h2.get(`${ns}/a-${100000 + i}`, accept));
      await phase(server, out, 'get over HTTP/2', (i) => h2.get(`${ns}/a-${i}`, accept));
    } finally {
      h2.close();
    }
  }
  if (protobuf) await phase(server, out, 'get again', (i) => send('GET', `${ns}/a-${i}`, undefined, accept));
  if (process.argv.includes('--pods')) {
    // `--pods`: pod creates (the bench's --nodes pod, on a node), after ALLOC_WARMUP of them unmeasured.
    const pods = '/api/v1/namespaces/default/pods';
    const pod = (i: number) => ({ metadata: { name: `p-${i}` }, spec: { nodeName: `node-${i % 1000}`, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } });
    await warm((i) => send('POST', pods, pod(100000 + i)));
    await phase(server, out, 'pod create', (i) => send('POST', pods, pod(i)));
  }
  if (process.argv.includes('--list')) {
    await phase(server, out, 'list of 500', () => send('GET', `${ns}?limit=500`, undefined, accept), 100);
    await phase(server, out, 'list of 500 again', () => send('GET', `${ns}?limit=500`, undefined, accept), 100);
    await phase(server, out, 'list of 500, rv=0', () => send('GET', `${ns}?limit=500&resourceVersion=0`, undefined, accept), 100);
  }
}
