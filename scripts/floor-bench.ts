/**
 * `npx tsx scripts/floor-bench.ts [--etcd]`: how much of a GET's server CPU is the API server's own work. The bench's
 * consistent GET of a ConfigMap (built server, dist/) next to bare servers answering the same size of JSON body over
 * the same TLS (client certificate, keep-alive) to the same client (floor-server.mjs: node:https, node:http2's secure
 * server with HTTP/1.1, and that through @hono/node-server), each over HTTP/1.1 (16 kept-alive connections, as the
 * bench) and over one HTTP/2 session (as kubectl). All servers run at once and their rounds alternate (ABAB...), so
 * each meets the same load on a shared machine; the figure is server CPU per request (/proc, every thread) over all
 * rounds. FLOOR_ROUNDS (default 6) rounds of FLOOR_ROUND_MS (default 1500) ms each, after FLOOR_WARMUP (default 3000)
 * requests per server and client. FLOOR_ONLY=<text>[|text]: only the rows whose label holds one of them.
 */
import { performance } from 'node:perf_hooks';
import { startServer, type TestServer } from '../test/support/server.ts';
import { startEtcd } from '../test/support/etcd.ts';
import { http2Getter, type Http2Getter } from './h2-client.ts';
import { serverCpuMs } from './server-cpu.ts';

const rounds = Number(process.env.FLOOR_ROUNDS ?? 6);
const roundMs = Number(process.env.FLOOR_ROUND_MS ?? 1500);
const warmup = Number(process.env.FLOOR_WARMUP ?? 3000);
const concurrency = 16;
const ns = '/api/v1/namespaces/default/configmaps';
const root = new URL('../', import.meta.url).pathname;

interface Row { label: string; server: TestServer; get: (i: number) => Promise<unknown>; ops: number; cpuMs: number; perSecond: number[] }

async function drive(get: (i: number) => Promise<unknown>, until: () => boolean, from = 0): Promise<number> {
  let next = from;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (until()) await get(next++); }));
  return next - from;
}

const etcd = process.argv.includes('--etcd') ? await startEtcd() : undefined;
const api = await startServer({ root, entry: 'scripts/start.mjs', args: etcd ? ['--etcd-servers', etcd.endpoint] : [] });
const floors: TestServer[] = [];
const sessions: Http2Getter[] = [];
try {
  const objects = 1000;
  await drive((i) => api.request('POST', ns, { metadata: { name: `floor-${i}` }, data: { k: 'v'.repeat(100) } }), ((n = 0) => () => n++ < objects)());
  const ok = (s: TestServer, path: string) => async () => {
    const res = await s.request('GET', path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  };
  const rows: Row[] = [];
  const add = (label: string, server: TestServer, path: (i: number) => string, http2 = true) => {
    rows.push({ label: `${label}, HTTP/1.1`, server, get: (i) => ok(server, path(i))(), ops: 0, cpuMs: 0, perSecond: [] });
    if (!http2) return;
    const h2 = http2Getter(server);
    sessions.push(h2);
    rows.push({ label: `${label}, HTTP/2`, server, get: (i) => h2.get(path(i)), ops: 0, cpuMs: 0, perSecond: [] });
  };
  add('kube-ts GET configmap (consistent)', api, (i) => `${ns}/floor-${i % objects}`);
  for (const [kind, ...more] of [['https'], ['h2'], ['h2', '--stream-fed'], ['hono']]) {
    const s = await startServer({ dataDir: api.dataDir, entry: 'scripts/floor-server.mjs', args: ['--floor', kind!, ...more] });
    floors.push(s);
    add(`bare ${[kind, ...more].join(' ')}`, s, () => '/floor', kind !== 'https');
  }
  const only = process.env.FLOOR_ONLY?.split('|');
  if (only) rows.splice(0, rows.length, ...rows.filter((r) => only.some((o) => r.label.includes(o))));
  for (const row of rows) await drive(row.get, ((n = 0) => () => n++ < warmup)());
  for (let round = 0; round < rounds; round++) {
    for (const row of rows) {
      const cpu = serverCpuMs(row.server);
      const started = performance.now();
      const n = await drive(row.get, () => performance.now() - started < roundMs, row.ops);
      row.cpuMs += serverCpuMs(row.server) - cpu;
      row.ops += n;
      row.perSecond.push(n / ((performance.now() - started) / 1000));
    }
  }
  console.log(`server CPU per request, ${rounds} alternating rounds of ${roundMs} ms, ${concurrency} concurrent${etcd ? ' (kube-ts on etcd)' : ''}`);
  for (const row of rows) {
    const rates = [...row.perSecond].sort((a, b) => a - b);
    console.log(`  ${row.label.padEnd(46)} ${((row.cpuMs * 1000) / row.ops).toFixed(1).padStart(6)} µs server CPU/op  ${rates[Math.floor((rates.length - 1) / 2)]!.toFixed(0).padStart(6)} ops/s`);
  }
} finally {
  for (const s of sessions) s.close();
  for (const s of floors) await s.stop();
  await api.stop();
  await etcd?.stop();
}
