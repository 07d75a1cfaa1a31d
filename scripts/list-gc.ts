/**
 * `npx tsx scripts/list-gc.ts [--etcd] [--protobuf] [--lists N] [--query Q]`: full garbage collections (Mark-Compact) and server
 * CPU per list of 500 on the built server (dist/, `node scripts/build.mjs` first), from V8's `--trace-gc` lines:
 * 600 ConfigMaps, 100 lists to warm up, then N (default 300) lists 8 at a time (Q default
 * `limit=500&resourceVersion=0`; `--protobuf`: lists asked for in protobuf, as client-go does). Prints the count of full and young GCs, the reasons V8 gave, and the server's CPU
 * (user+system, from /proc) per list. Why: a full GC of 10-80 ms every ~50 lists is most of what keeps the list
 * rate below the store's; run it before and after a change to the list path (several runs: the machine is shared).
 */
import { startServer } from '../test/support/server.ts';
import { serverCpuMs } from './server-cpu.ts';
import { startEtcd } from '../test/support/etcd.ts';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const root = new URL('../', import.meta.url).pathname;
const lists = Number(arg('--lists') ?? 300);
const query = arg('--query') ?? 'limit=500&resourceVersion=0';
const ns = '/api/v1/namespaces/default/configmaps';
const accept = process.argv.includes('--protobuf') ? { Accept: 'application/vnd.kubernetes.protobuf' } : undefined;

process.env.KUBE_TS_SERVER_ENTRY ??= 'scripts/start.mjs';
process.env.KUBE_TS_SERVER_NODE_ARGS = `${process.env.KUBE_TS_SERVER_NODE_ARGS ?? ''} --trace-gc`;
const etcd = process.argv.includes('--etcd') ? await startEtcd() : undefined;
const server = await startServer({ root, args: etcd ? ['--etcd-servers', etcd.endpoint] : [] });
const cpuMs = () => serverCpuMs(server);
const each = async (n: number, run: (i: number) => Promise<unknown>) => {
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < n) await run(next++); }));
};
try {
  await each(600, (i) => server.request('POST', ns, { metadata: { name: `c-${i}` }, data: { k: 'v'.repeat(100) } }));
  const list = async () => {
    const res = await server.request('GET', `${ns}?${query}`, undefined, accept);
    if (res.status !== 200) throw new Error(`list: ${res.status} ${res.text}`);
  };
  await each(100, list);
  const mark = server.logs().length;
  const [cpu0, wall0] = [cpuMs(), performance.now()];
  await each(lists, list);
  const [cpu, wall] = [cpuMs() - cpu0, performance.now() - wall0];
  const gcs = server.logs().slice(mark).split('\n').filter((l) => /ms: (Mark-Compact|Scavenge|Minor)/.test(l));
  const full = gcs.filter((l) => l.includes('Mark-Compact'));
  const reasons = new Map<string, number>();
  for (const l of gcs) {
    const k = `${/Mark-Compact/.test(l) ? 'full' : 'young'}: ${l.replace(/^.*\) /, '').trim()}`;
    reasons.set(k, (reasons.get(k) ?? 0) + 1);
  }
  console.log(`${lists} lists (${query}): ${full.length} full GCs, ${gcs.length - full.length} young; server CPU ${(cpu / lists).toFixed(2)} ms/list, wall ${(wall / lists).toFixed(2)} ms/list`);
  for (const [k, n] of reasons) console.log(`  ${n} x ${k}`);
} finally {
  await server.stop();
  await etcd?.stop();
}
