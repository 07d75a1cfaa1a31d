/**
 * A list read from etcd in batches stops paging once its request is cancelled, as upstream's etcd client starts no
 * call under a done context. A list with `limit=1` and a label selector nothing matches reads the whole collection
 * two keys at a time; its exact resourceVersion sends it to etcd, not the watch cache. With etcd paused, the list's
 * first batch waits until the request's deadline has answered it 504; once etcd resumes, that batch completes and
 * no other starts. The batches are counted in etcd_request_duration_seconds (one observation per range call), and
 * the handler's return after the 504 in apiserver_request_post_timeout_total, which the test waits for. On SQLite,
 * which answers each batch within the event loop's turn, a list of many batches lets other work in every few
 * milliseconds, so its deadline is seen while it pages: a list of two thousand batches under a 1ms deadline stops
 * short of its end (without those turns, the deadline's timer could only run once the list had read every batch).
 * The deadline is far shorter than the list, whatever the machine's speed: a quiet machine reads a thousand batches
 * within 50ms.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { startEtcd } from '../support/etcd.ts';
import { eventually } from '../support/kubectl.ts';
import { within } from '../support/within.ts';

const objects = 120;

async function createConfigMaps(server: TestServer, namespace: string, count: number): Promise<void> {
  assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: namespace } })).status, 201);
  for (let i = 0; i < count; i += 20) {
    const batch = Array.from({ length: Math.min(20, count - i) }, (_, j) => server.request('POST', `/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name: `cm-${i + j}` } }));
    for (const res of await Promise.all(batch)) assert.equal(res.status, 201, res.text);
  }
}

/** A list of `namespace`'s ConfigMaps read from the store two keys a batch, matching none. */
async function unmatchedListPath(server: TestServer, namespace: string): Promise<string> {
  const rv = (await server.request('GET', `/api/v1/namespaces/${namespace}/configmaps?limit=1`)).json.metadata.resourceVersion;
  return `/api/v1/namespaces/${namespace}/configmaps?limit=1&labelSelector=absent%3Dyes&resourceVersion=${rv}&resourceVersionMatch=Exact`;
}

/** The value of one sample in the server's /metrics, 0 when absent. */
async function sample(server: TestServer, series: string): Promise<number> {
  const text = (await server.request('GET', '/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const rangeCalls = (server: TestServer) => sample(server, 'etcd_request_duration_seconds_count{operation="list",type="configmaps"}');
const postTimeout = (server: TestServer) => sample(server, 'apiserver_request_post_timeout_total{source="timeout-handler",status="ok"}');

test('a list paging through etcd stops at the batch under way when its request times out', async (t) => {
  const etcd = await startEtcd({ t });
  const server = await startServer({ args: ['--etcd-servers', etcd.endpoint], t });
  await createConfigMaps(server, 'many', objects);
  const list = await unmatchedListPath(server, 'many');

  // The whole list, uncancelled: every batch of two keys.
  const before = await rangeCalls(server);
  const whole = await server.request('GET', list);
  assert.equal(whole.status, 200, whole.text);
  assert.deepEqual(whole.json.items, []);
  const batches = (await rangeCalls(server)) - before;
  assert.ok(batches >= objects / 2, `the whole list read ${batches} batches`);

  // The same list with etcd paused: its first batch waits past the request's deadline.
  const start = await rangeCalls(server);
  etcd.pause();
  try {
    const res = await within(20_000, 'list ?timeout=1s', server.request('GET', `${list}&timeout=1s`));
    assert.equal(res.status, 504, res.text);
    assert.equal(res.json.message, 'Timeout: request did not complete within requested timeout - context deadline exceeded');
  } finally {
    etcd.resume();
  }
  await eventually(async () => (await postTimeout(server)) === 1, 'the timed-out list returned', 30_000);
  const read = (await rangeCalls(server)) - start;
  assert.ok(read <= 1, `the cancelled list read ${read} batches of the ${batches} it needed`);
});

test('a list paging through SQLite sees its deadline between batches and stops short of its end', async (t) => {
  const server = await startServer({ t });
  await createConfigMaps(server, 'many', 4000);
  const list = await unmatchedListPath(server, 'many');
  const before = await rangeCalls(server);
  assert.equal((await server.request('GET', list)).status, 200);
  const batches = (await rangeCalls(server)) - before;

  const start = await rangeCalls(server);
  const res = await within(20_000, 'list ?timeout=1ms', server.request('GET', `${list}&timeout=1ms`));
  assert.equal(res.status, 504, res.text);
  await eventually(async () => (await postTimeout(server)) === 1, 'the timed-out list returned', 30_000);
  const read = (await rangeCalls(server)) - start;
  assert.ok(read < batches, `the cancelled list read ${read} batches of the ${batches} it needed`);
});
