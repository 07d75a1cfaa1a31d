/**
 * `npx tsx scripts/cpu-perf.ts [--etcd] [--top N] [--syscalls] [--by-fd] [--leaves] [--phases create,update,get,geth2,list,listrv0,listgz,listrv0gz,version]`: where the built server's CPU goes
 * per request, from Linux `perf` sampling the server's threads while they are on a CPU (cpu-clock, kernel included),
 * for the same phases as alloc.ts (creates, updates and consistent gets of a small ConfigMap, 8 concurrent, after a
 * warm-up of ALLOC_WARMUP of each, and of up to 1000 lists before a list phase). Per phase: µs per request in garbage collection, compilation, the kernel, TLS,
 * HTTP parsing and JavaScript; then by area (runtime/<dir>, package, Node module) and by function. Native work
 * (V8 built-ins, runtime calls, SQLite) counts for the JavaScript function that called it, found through the
 * server's perf map (--perf-basic-prof-only-functions) and dist's source map. `--leaves` adds the symbols the samples
 * fell in, native ones included (OpenSSL, libuv, V8's runtime, the kernel's TCP path), for work no JavaScript
 * function's name explains: a watch delivery's TLS record and loopback send, say.
 *
 * Why beside alloc.ts --cpu: the inspector's profiler samples the main thread by wall clock, so on a busy machine
 * the time the thread waits for a CPU shows up in whatever it was doing (a GET's writev read ~230 µs there and
 * ~40 µs here), and it misses the threads V8 collects garbage and compiles on. Needs `perf` (linux-tools) and
 * permission to profile the server (root, or kernel.perf_event_paranoid <= 1). ALLOC_OPS sizes the phases.
 *
 * Phase `geth2`: the `get` phase's consistent gets over one HTTP/2 session as the admin, its 8 concurrent streams
 * multiplexed as kubectl's and client-go's requests are (warmed up over HTTP/2 too); compare with `get` (HTTP/1.1).
 *
 * Phase `watch` (`--phases watch`, add `--http2` for HTTP/2 sessions of 100 streams): WATCHERS (default 200) watches of
 * the namespace's ConfigMaps, then WATCH_EVENTS (default 200) updates of one ConfigMap one after the other, until
 * every watcher has counted every event (scripts/watch-clients.ts); figures per delivered event, the updates' own
 * cost included. WATCH_WRITERS (default 1): that many writers at once, each updating its own ConfigMap.
 *
 * Phase `nodewatch`: kubelet-style watches, each of its own node's pods, and pod creates (see nodeWatchPhase).
 *
 * `--token`: the server also knows a bearer-token user whom RBAC lets at the ConfigMaps (`--token-auth-file`,
 * `--authorization-mode Node,RBAC`, scripts/token-user.ts, as the bench's auth section), and each request phase runs
 * as that user, then as the admin on the same server (`create (token)`, `create (admin)`, ...): what authenticating a
 * token, RBAC and APF's classification of a non-exempt user add. `--root DIR`: run the server built in DIR (its dist/).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type TestServer } from '../test/support/server.ts';
import { startEtcd } from '../test/support/etcd.ts';
import { openWatches } from './watch-clients.ts';
import { http2Getter } from './h2-client.ts';
import { grantConfigMaps, tokenClient, tokenUserArgs, type Send } from './token-user.ts';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const root = arg('--root') ?? new URL('../', import.meta.url).pathname;
const top = Number(arg('--top') ?? 25);
const phases = (arg('--phases') ?? 'create,update,get').split(',');
const ops = Number(process.env.ALLOC_OPS ?? 2000);
const warmOps = Number(process.env.ALLOC_WARMUP ?? 2000);
// CONCURRENCY (default 8): requests in flight at once in the request phases (1: one after the other, as the bench's writes).
const concurrency = Number(process.env.CONCURRENCY ?? 8);
const hz = 2000;
const ns = '/api/v1/namespaces/default/configmaps';

/**
 * The list phases (as the bench's lists of 500): consistent, and at resourceVersion=0 (from the watch cache); the `gz`
 * ones ask for gzip as kubectl and client-go do (the server gzips lists above 128 KiB).
 */
const gzip = { 'Accept-Encoding': 'gzip' };
const lists: [string, string, Record<string, string>?][] = [
  ['list', '?limit=500'],
  ['listrv0', '?limit=500&resourceVersion=0'],
  ['listgz', '?limit=500', gzip],
  ['listrv0gz', '?limit=500&resourceVersion=0', gzip],
];

const mapFile = join(root, 'dist/kube-ts.cjs.map');
const sourceMap = existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : undefined;
const resolved = new Map<string, string>();
/** `function file:line` of a bundle position (perf map names read `JS:*name /path/kube-ts.cjs:line:column`). */
function bundleFrame(name: string, line: number, column: number): string {
  const k = `${name}:${line}:${column}`;
  let out = resolved.get(k);
  if (out === undefined) {
    const e = sourceMap?.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number } | undefined;
    out = e?.originalSource ? `${name || '(anon)'} ${e.originalSource.replace(/^.*?\/(runtime|generated|apis|node_modules)\//, '$1/')}:${e.originalLine! + 1}` : `${name || '(anon)'} dist:${line}`;
    resolved.set(k, out);
  }
  return out;
}

const gc = /Heap::CollectGarbage|Scavenge|MarkCompact|ConcurrentMarking|IncrementalMarking|Sweeper|MinorGC|MarkingVisitor|MemoryAllocator|ScavengerCollector/;
const compile = /Compiler|compiler::|maglev::|Maglev|CompileLazy|OptimizingCompileDispatcher|Deoptimizer/;
/** Bytecode run by V8's interpreter (or its baseline code): functions not optimized (yet, or any more). */
const interpreted = /Builtins_InterpreterEntryTrampoline|Builtins_BaselineOutOfLine|Builtins_InterpreterEnterAtBytecode/;
const kernel = /^(\[k\]|pvm_|do_syscall|entry_SYSCALL|__x64_sys|tcp_|ip_|sock_|vfs_|ksys_|__sys_|ext4_|jbd2_)/;
const tls = /crypto::|SSL_|EVP_|ossl_|aesni|gcm_/;

interface Tally { samples: number; kind: Map<string, number>; area: Map<string, number>; fn: Map<string, number>; total: Map<string, number>; leaf: Map<string, number> }

/** `--leaves`: also the symbols samples were taken in (native ones included: OpenSSL, V8, libuv, the kernel). */
const leaves = process.argv.includes('--leaves');
const byFd = process.argv.includes('--by-fd');

/** `--inclusive`: also each function's CPU with everything it called (a flat profile's callers are easier to see there). */
const inclusive = process.argv.includes('--inclusive');

/** Each JavaScript function of a stack counted once, with all the work under it (see --inclusive). */
function chargeInclusive(t: Tally, stack: string[]): void {
  const seen = new Set<string>();
  for (const sym of stack) {
    const frame = jsFrame(sym);
    if (frame && !seen.has(frame)) {
      seen.add(frame);
      add(t.total, frame);
    }
  }
}

/** `function file:line` of a JavaScript frame: the bundle's (through its source map), Node's, or an external package's. */
function jsFrame(sym: string): string | undefined {
  const bundle = /^JS:\S?(\S*) .*kube-ts\.cjs:(\d+):(\d+)$/.exec(sym);
  if (bundle) return bundleFrame(bundle[1], Number(bundle[2]), Number(bundle[3]));
  const node = /^JS:\S?(\S*) (node:[^:]+)/.exec(sym);
  if (node) return `${node[1] || '(anon)'} ${node[2]}`;
  // Packages left out of the bundle (etcd3, @grpc/grpc-js, better-sqlite3) run from node_modules.
  const pkg = /^JS:\S?(\S*) \S*\/(node_modules\/\S+?):(\d+):\d+$/.exec(sym);
  if (pkg) return `${pkg[1] || '(anon)'} ${pkg[2]}:${pkg[3]}`;
  return undefined;
}

const add = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

/** One sample's stack (leaf first) charged to a kind of work, and JavaScript to its nearest function. */
function charge(t: Tally, stack: string[]): void {
  t.samples++;
  if (inclusive) chargeInclusive(t, stack);
  if (leaves && stack[0]) add(t.leaf, stack[0].replace(/\+0x[0-9a-f]+$/, ''));
  let inKernel = false;
  let native: string | undefined;
  let interpretedFrame = false;
  for (const sym of stack) {
    if (kernel.test(sym) || sym.includes('[kernel')) inKernel = true;
    if (gc.test(sym)) return add(t.kind, 'garbage collection');
    if (compile.test(sym)) return add(t.kind, 'compilation');
    if (interpreted.test(sym)) interpretedFrame = true;
    if (!native && tls.test(sym)) native = 'TLS';
    if (!native && sym.includes('llhttp')) native = 'HTTP parser';
    const frame = jsFrame(sym);
    if (!frame) continue;
    const file = frame.slice(frame.lastIndexOf(' ') + 1).replace(/:\d+$/, '');
    const area = /^(runtime\/[^/]+|generated|apis|node_modules\/(?:@[^/]+\/)?[^/]+|node:[a-z_]+)/.exec(file)?.[1] ?? file;
    // perf map names carry V8's tier: `*` optimized (TurboFan), `+` Maglev, `^` baseline (Sparkplug), `~` interpreted.
    const tier = interpretedFrame || sym.startsWith('JS:~') ? ', interpreted' : sym.startsWith('JS:^') ? ', baseline code' : sym.startsWith('JS:+') ? ', Maglev code' : '';
    add(t.kind, inKernel ? 'kernel (system calls)' : native ?? `JavaScript${tier}`);
    add(t.area, inKernel ? `kernel < ${area}` : area);
    add(t.fn, inKernel ? `kernel < ${frame}` : frame);
    return;
  }
  add(t.kind, inKernel ? 'kernel (system calls)' : native ?? 'native, no JavaScript caller');
}

/** The samples of a perf.data file, one stack each (leaf first). */
function stacks(file: string): string[][] {
  const out = spawnSync('perf', ['script', '-i', file, '-F', 'ip,sym'], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout;
  const all: string[][] = [];
  let cur: string[] = [];
  for (const line of out.split('\n')) {
    const t = line.trim();
    if (!t) {
      if (cur.length) all.push(cur);
      cur = [];
      continue;
    }
    cur.push(t.slice(t.indexOf(' ') + 1));
  }
  if (cur.length) all.push(cur);
  return all;
}

function print(label: string, t: Tally, n: number): void {
  const us = (v: number) => ((v * 1e6) / hz / n).toFixed(1).padStart(7);
  console.log(`${label}: ${us(t.samples).trim()} µs CPU per request (perf, all threads, kernel included)`);
  for (const [title, m, count] of [['by kind', t.kind, 12], ['by area', t.area, top], ['by function (with the native work it called)', t.fn, top], ...(inclusive ? [['by function, with everything it called', t.total, top * 3] as const] : []), ...(leaves ? [['by symbol sampled (leaf)', t.leaf, top * 2] as const] : [])] as const) {
    console.log(`  ${title}:`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`    ${us(v)} µs  ${k}`);
  }
}

async function profiled(server: TestServer, label: string, run: (i: number) => Promise<unknown>): Promise<void> {
  await recorded(server, label, async () => {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => { while (next < ops) await run(next++); }));
  }, ops);
}

/** The server's CPU while `drive` runs, per one of its `n` operations (a request, a delivered event). */
async function recorded(server: TestServer, label: string, drive: () => Promise<unknown>, n: number): Promise<void> {
  if (process.argv.includes('--syscalls') || byFd) return counted(server, label, drive, n);
  const data = join(tmpdir(), `kube-ts-cpu-perf-${process.pid}.data`);
  const rec = spawn('perf', ['record', '-q', '-e', 'cpu-clock', '-F', String(hz), '-g', '-o', data, '-p', String(server.process.pid)], { stdio: 'inherit' });
  await sleep(500); // perf attaches
  await drive();
  rec.kill('SIGINT');
  await new Promise((r) => rec.once('exit', r));
  const t: Tally = { samples: 0, kind: new Map(), area: new Map(), fn: new Map(), total: new Map(), leaf: new Map() };
  for (const s of stacks(data)) charge(t, s);
  rmSync(data, { force: true });
  print(label, t, n);
}

/**
 * `--syscalls`: instead of sampling, counts the server's CPU time per operation (perf stat task-clock, every thread).
 * `--by-fd` adds the write and writev system calls per operation by what they wrote to (a socket, a pipe, an eventfd,
 * a file) and the thread that made them: a total of every write is no measure of one kind (a loopback frame to etcd
 * and a libuv thread's wake-up of the main loop each count one). It also counts the embedded store's file calls
 * (pwrite64 of WAL frames, fsync, fdatasync, pread64, fcntl locks) by file: fsyncs of the `-wal` file per write is
 * how many writes each SQLite commit carried (its group commit), and the pwrites per commit how many pages it dirtied.
 */
async function counted(server: TestServer, label: string, drive: () => Promise<unknown>, n: number): Promise<void> {
  const pid = server.process.pid!;
  const out = join(tmpdir(), `kube-ts-cpu-stat-${process.pid}.txt`);
  const stat = spawn('perf', ['stat', '-x', ',', '-o', out, '-e', 'task-clock', '-p', String(pid)], { stdio: 'inherit' });
  const data = join(tmpdir(), `kube-ts-cpu-writes-${process.pid}.data`);
  const rec = byFd ? spawn('perf', ['record', '-q', '-e', countedCalls.map((c) => `syscalls:sys_enter_${c}`).join(','), '-o', data, '-p', String(pid)], { stdio: 'inherit' }) : undefined;
  await sleep(500); // perf attaches
  await drive();
  for (const p of [stat, rec]) p?.kill('SIGINT');
  await Promise.all([stat, rec].map((p) => p && new Promise((r) => p.once('exit', r))));
  const [ms] = readFileSync(out, 'utf8').split('\n').filter((l) => /^[0-9.]+,/.test(l)).map((l) => Number(l.split(',')[0]));
  rmSync(out, { force: true });
  console.log(`${label}: ${((ms! * 1000) / n).toFixed(1)} µs task-clock per request`);
  if (rec) {
    for (const [what, count] of callsByFd(pid, data)) console.log(`  ${(count / n).toFixed(3)} per request  ${what}`);
    rmSync(data, { force: true });
  }
}

/** The system calls `--by-fd` counts: writes to sockets and pipes, and the embedded store's file I/O, flushes and locks. */
const countedCalls = ['write', 'writev', 'pwrite64', 'pread64', 'fsync', 'fdatasync', 'fcntl'];

/** The recorded calls counted by call, thread name and what the descriptor is (as /proc shows it). */
function callsByFd(pid: number, data: string): [string, number][] {
  const fds = new Map<string, string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      fds.set(fd, readlinkSync(`/proc/${pid}/fd/${fd}`).replace(/:\[\d+\]$/, ''));
    } catch {
      // closed since
    }
  }
  const script = spawnSync('perf', ['script', '-i', data, '-F', 'comm,event,trace'], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout;
  const counts = new Map<string, number>();
  for (const line of script.split('\n')) {
    const m = /^\s*(.+?)\s+syscalls:sys_enter_(\w+):\s+fd: (0x[0-9a-f]+)/.exec(line);
    if (!m) continue;
    const fd = String(parseInt(m[3]!, 16));
    const k = `${m[2]} by ${m[1]} to ${fds.get(fd) ?? `fd ${fd} (closed)`}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((x, y) => y[1] - x[1]);
}

/** Watch fan-out (phase `watch`): see the header. */
async function watchPhase(server: TestServer): Promise<void> {
  const watchers = Number(process.env.WATCHERS ?? 200);
  const events = Number(process.env.WATCH_EVENTS ?? 200);
  const http2 = process.argv.includes('--http2');
  // WATCH_WRITERS (default 1) writers at once, each updating its own ConfigMap: their writes are committed together.
  const writers = Number(process.env.WATCH_WRITERS ?? 1);
  for (let w = 0; w < writers; w++) await server.request('POST', ns, { metadata: { name: `watched-${w}` }, data: { k: 'v' } });
  const update = (i: number) => {
    const name = `watched-${i % writers}`;
    return server.request('PUT', `${ns}/${name}`, { metadata: { name }, data: { k: `v${i}`.padEnd(100, 'v') } });
  };
  const updates = async (from: number, n: number) => {
    let next = 0;
    await Promise.all(Array.from({ length: writers }, async () => { while (next < n) await update(from + next++); }));
  };
  const rv = (await server.request('GET', ns)).json.metadata.resourceVersion;
  const watches = await openWatches(server, `${ns}?watch=true&resourceVersion=${rv}`, watchers, http2, {});
  const until = async (n: number) => {
    for (let waited = 0; watches.some((w) => w.events < n); waited += 10) {
      if (waited > 60_000) throw new Error(`watchers missed events: ${watches.filter((w) => w.events < n).length} short`);
      await sleep(10);
    }
  };
  try {
    // A round first, unmeasured: the delivery path is still compiling during the first events.
    await updates(0, 50);
    await until(50);
    await recorded(server, `watch, ${watchers} watchers${http2 ? ' over HTTP/2' : ', HTTP/1.1'}, ${events} updates by ${writers} writer(s) (per delivered event)`, async () => {
      await updates(1000, events);
      await until(50 + events);
    }, watchers * events);
  } finally {
    for (const w of watches) w.close();
  }
}

/**
 * Kubelet-style watches (phase `nodewatch`, as the bench's --nodes): WATCHERS (default 1000) watches over HTTP/2
 * sessions of 100 streams, watch i of the pods on node-i (`fieldSelector=spec.nodeName=node-i`), then POD_CREATES
 * (default 1000) pod creates one after the other (after POD_WARMUP, default 2000, unmeasured), create i on node-(i mod WATCHERS), until each has reached its
 * watcher; figures per create. WATCHERS=0: the same creates with nobody watching, the create's own cost.
 */
async function nodeWatchPhase(server: TestServer): Promise<void> {
  const watchers = Number(process.env.WATCHERS ?? 1000);
  const creates = Number(process.env.POD_CREATES ?? 1000);
  const pods = '/api/v1/namespaces/perf-nodes/pods';
  await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'perf-nodes' } });
  const create = async (i: number) => {
    const pod = { metadata: { name: `pod-${i}` }, spec: { nodeName: `node-${i % Math.max(watchers, 1)}`, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } };
    const res = await server.request('POST', pods, pod);
    if (res.status !== 201) throw new Error(`create pod-${i}: ${res.status} ${res.text}`);
  };
  const rv = (await server.request('GET', '/api/v1/pods')).json.metadata.resourceVersion;
  const watches = await openWatches(server, (i) => `/api/v1/pods?watch=true&resourceVersion=${rv}&fieldSelector=${encodeURIComponent(`spec.nodeName=node-${i}`)}`, watchers, true, {});
  const until = async (n: number) => {
    for (let waited = 0; watchers && watches.reduce((sum, w) => sum + w.events, 0) < n; waited += 10) {
      if (waited > 120_000) throw new Error(`watchers missed events: ${watches.reduce((sum, w) => sum + w.events, 0)} of ${n}`);
      await sleep(10);
    }
  };
  try {
    // A round first, unmeasured (see watchPhase): POD_WARMUP creates (default 2000), the pod create path compiling.
    const warm = Number(process.env.POD_WARMUP ?? 2000);
    for (let i = 0; i < warm; i++) await create(100_000 + i);
    await until(warm);
    await recorded(server, `nodewatch, ${watchers} watchers of their node's pods over HTTP/2, ${creates} pod creates (per create)`, async () => {
      for (let i = 0; i < creates; i++) await create(i);
      await until(warm + creates);
    }, creates);
  } finally {
    for (const w of watches) w.close();
  }
}

if (spawnSync('perf', ['--version']).status !== 0) {
  console.error('cpu-perf needs the perf tool (linux-tools)');
  process.exit(1);
}
process.env.KUBE_TS_SERVER_ENTRY ??= 'scripts/start.mjs';
process.env.KUBE_TS_SERVER_NODE_ARGS = '--perf-basic-prof-only-functions';
const etcd = process.argv.includes('--etcd') ? await startEtcd() : undefined;
let server: TestServer | undefined;
try {
  const token = process.argv.includes('--token');
  server = await startServer({ root, args: [...(etcd ? ['--etcd-servers', etcd.endpoint] : []), ...(token ? tokenUserArgs() : [])] });
  const s = server;
  const admin: Send = async (method, path, body, headers) => (await s.request(method, path, body, headers)).status;
  /** Who sends each phase's requests, with the prefix of the names their objects take. */
  const users: [string, Send][] = token ? [['token', tokenClient(s)], ['admin', admin]] : [['', admin]];
  if (token) await grantConfigMaps(s, users[0]![1]);
  const body = (name: string, c: string) => ({ metadata: { name }, data: { k: c.repeat(100) } });
  const each = async (n: number, run: (i: number) => Promise<unknown>) => {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => { while (next < n) await run(next++); }));
  };
  // Warm-up as the phases run: a fresh server spends its first thousands of requests compiling its request path.
  for (const [who, send] of users) {
    await each(warmOps, (i) => send('POST', ns, body(`w${who}-${i}`, 'v')));
    await each(warmOps, (i) => send('PUT', `${ns}/w${who}-${i}`, body(`w${who}-${i}`, 'w')));
    await each(warmOps, (i) => send('GET', `${ns}/w${who}-${i}`));
  }
  const h2 = phases.includes('geth2') ? http2Getter(s) : undefined;
  if (h2) await each(warmOps, (i) => h2.get(`${ns}/w${users.at(-1)![0]}-${i}`));
  // Lists take their own paths (the cache's pages, the list encoders): unwarmed, their phases counted V8 still
  // optimising them (80-160 µs of "compilation" per list).
  for (const [p, query, headers] of lists) {
    if (phases.includes(p)) for (const [, send] of users) await each(Math.min(warmOps, 1000), () => send('GET', ns + query, undefined, headers));
  }
  // The objects the updates and gets read, made unmeasured when creates are not profiled.
  if (!phases.includes('create')) for (const [who, send] of users) await each(ops, (i) => send('POST', ns, body(`a${who}-${i}`, 'v')));
  const run = (who: string, send: Send): Record<string, (i: number) => Promise<unknown>> => ({
    create: (i) => send('POST', ns, body(`a${who}-${i}`, 'v')),
    update: (i) => send('PUT', `${ns}/a${who}-${i}`, body(`a${who}-${i}`, 'w')),
    get: (i) => send('GET', `${ns}/a${who}-${i}`),
    geth2: (i) => h2!.get(`${ns}/a${who}-${i}`),
    // Lists of 500 (as the bench's): see `lists`.
    ...Object.fromEntries(lists.map(([p, query, headers]) => [p, () => send('GET', ns + query, undefined, headers)])),
    // The shared handler chain alone: no store, no object to encode.
    version: () => send('GET', '/version'),
  });
  for (const p of phases) {
    if (p === 'watch') await watchPhase(s);
    else if (p === 'nodewatch') await nodeWatchPhase(s);
    // geth2 and watch run as the admin: the HTTP/2 and watch clients present its certificate.
    else for (const [who, send] of p === 'geth2' ? users.slice(-1) : users) await profiled(s, who ? `${p} (${who})` : p, run(who, send)[p]!);
  }
  h2?.close();
} finally {
  try {
    await server?.stop();
  } finally {
    await etcd?.stop();
  }
}
