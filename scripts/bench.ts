/**
 * `npm run bench`: figures and ratios, never pass/fail. Measures the generator on the full catalogue, then the
 * server through HTTPS against each store: creates, consistent gets and lists, compared with the raw store's own
 * put and get rates on the same machine (the roadmap's targets: creates >= 80% of the store's put rate, reads >=
 * the store's get rate). Runs etcd when the binary is installed.
 */
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../codegen/generate.ts';
import type { KV } from '../runtime/storage/kv.ts';
import { SqliteKV } from '../runtime/storage/sqlite/kv.ts';
import { EtcdKV } from '../runtime/storage/etcd/kv.ts';
import { startServer, type TestServer } from '../test/support/server.ts';
import { startEtcd } from '../test/support/etcd.ts';

const root = new URL('../', import.meta.url).pathname;
const count = Number(process.env.BENCH_OPS ?? 500);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function rate(label: string, ops: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ops) await run(next++);
    }),
  );
  const perSecond = ops / ((performance.now() - started) / 1000);
  console.log(`  ${label.padEnd(38)} ${perSecond.toFixed(0).padStart(7)} ops/s`);
  return perSecond;
}

async function benchStore(name: string, kv: KV, server: TestServer): Promise<void> {
  console.log(`\n${name}`);
  const value = new TextEncoder().encode(JSON.stringify({ data: { k: 'v'.repeat(100) } }));
  const puts = await rate('store put (raw KV)', count, (i) => kv.create(`/bench/raw/${i}`, value));
  const gets = await rate('store get (raw KV)', count, (i) => kv.get(`/bench/raw/${i}`));
  const creates = await rate('POST configmaps (HTTPS, JSON)', count, (i) =>
    server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `bench-${i}` }, data: { k: 'v'.repeat(100) } }),
  );
  const reads = await rate('GET configmap (consistent)', count, (i) => server.request('GET', `/api/v1/namespaces/default/configmaps/bench-${i}`));
  const lists = await rate('LIST configmaps limit=50', Math.max(20, count / 10), () => server.request('GET', '/api/v1/namespaces/default/configmaps?limit=50'));
  console.log(`  creates / store puts: ${(creates / puts).toFixed(2)}   gets / store gets: ${(reads / gets).toFixed(2)}   lists: ${lists.toFixed(0)}/s`);
}

async function main(): Promise<void> {
  console.log(`kube-ts benchmarks (${count} ops, ${concurrency} concurrent)`);
  const started = performance.now();
  const result = generate(root);
  const ms = (performance.now() - started).toFixed(0);
  console.log(result.ok ? `\ngenerator: ${result.files.length} files from apis/ in ${ms} ms` : `\ngenerator: apis/ has ${result.errors.length} error(s) (${ms} ms)`);

  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-bench-'));
  const sqlite = await SqliteKV.open(join(dir, 'raw.db'));
  const server = await startServer();
  try {
    await benchStore('embedded SQLite', sqlite, server);
  } finally {
    await server.stop();
    await sqlite.close();
  }

  let etcd;
  try {
    etcd = await startEtcd();
  } catch (e) {
    console.log(`\netcd: skipped (${(e as Error).message})`);
  }
  if (etcd) {
    const kv = await EtcdKV.open({ endpoints: [etcd.endpoint] });
    const etcdServer = await startServer({ args: ['--etcd-servers', etcd.endpoint] });
    try {
      await benchStore('etcd', kv, etcdServer);
    } finally {
      await etcdServer.stop();
      await kv.close();
      await etcd.stop();
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
