/**
 * `npx tsx scripts/etcd-unary-bench.ts [--endpoint URL]`: client CPU µs per etcd unary call through UnaryChannel
 * (runtime/storage/etcd/unary-channel.ts), for Txn writes (a create-if-absent of a ~400-byte value, as a create
 * sends) and Range reads of one key, 8 in flight, against a fresh etcd (/usr/bin/etcd) unless `--endpoint` names
 * one. Only this process's CPU is counted (process.cpuUsage), so etcd's own work does not show. BENCH_OPS sizes each
 * phase (default 5000, after 2000 unmeasured); ETCD_UNARY_TRANSPORT picks the transport as the channel reads it.
 */
import { startEtcd } from '../test/support/etcd.ts';
import { openUnaryChannel } from '../runtime/storage/etcd/unary-channel.ts';
import { encodeRangeRequest, encodeTxnRequest, decodeRangeResponse, decodeTxnResponse } from '../runtime/storage/etcd/messages.ts';

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const ops = Number(process.env.BENCH_OPS ?? 5000);
const warm = 2000;
const concurrency = 8;
const etcd = arg('--endpoint') ? undefined : await startEtcd();
const endpoint = arg('--endpoint') ?? etcd!.endpoint;
const channel = openUnaryChannel(endpoint, { pingTimeoutMs: 5000 });
const enc = new TextEncoder();
const value = enc.encode(JSON.stringify({ kind: 'ConfigMap', data: { a: 'x'.repeat(300) } }));
let n = 0;

const write = async () => {
  const key = enc.encode(`/registry/configmaps/default/bench-${n++}`);
  const res = decodeTxnResponse(
    await channel.call('/etcdserverpb.KV/Txn', encodeTxnRequest({ compare: [{ key, result: 'Equal', target: 'Mod', revision: 0 }], success: [{ put: { key, value } }], failure: [] }), 3000),
  );
  if (!res.succeeded) throw new Error('txn failed');
};
const read = async () => {
  const res = decodeRangeResponse(await channel.call('/etcdserverpb.KV/Range', encodeRangeRequest({ key: enc.encode('/registry/configmaps/default/bench-1') }), 3000));
  if (res.kvs.length !== 1) throw new Error('range found nothing');
};

async function phase(label: string, fn: () => Promise<void>, count: number, report: boolean) {
  let left = count;
  const worker = async () => {
    while (left-- > 0) await fn();
  };
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  if (report) console.log(`${label.padEnd(6)} ${((used.user + used.system) / count).toFixed(1).padStart(6)} µs client CPU/call (user ${(used.user / count).toFixed(1)}, sys ${(used.system / count).toFixed(1)}), ${((count / ms) * 1000).toFixed(0)} calls/s`);
}

try {
  console.log(`transport: ${process.env.ETCD_UNARY_TRANSPORT || 'default'}, ${ops} calls per phase, ${concurrency} in flight`);
  await phase('txn', write, warm, false);
  await phase('range', read, warm, false);
  for (let round = 0; round < 2; round++) {
    await phase('txn', write, ops, true);
    await phase('range', read, ops, true);
  }
} finally {
  channel.close();
  await etcd?.stop();
}
