// /livez, /readyz, /healthz on etcd: upstream's named checks in upstream's order and output, exclusions, single
// checks, a stopped etcd shown as `[-]etcd failed`; and the HTTP log at -v=3.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.ts';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';
import { anonymousRequest } from '../support/users.ts';
import { eventually } from '../support/kubectl.ts';

let etcd: EtcdServer;
let server: TestServer;

before(async () => {
  etcd = await startEtcd();
  server = await startServer({ args: ['--etcd-servers', etcd.endpoint, '-v=3'] });
});

after(async () => {
  await server?.stop();
  await etcd?.stop();
});

/** The check names a verbose answer lists, in order. */
function checkNames(body: string): string[] {
  return body.split('\n').filter((l) => l.startsWith('[')).map((l) => /^\[[+-]\](\S+)/.exec(l)![1]);
}

test('readyz, livez and healthz list upstream\'s checks, in upstream\'s order', async () => {
  const readyz = await server.request('GET', '/readyz?verbose');
  assert.equal(readyz.status, 200);
  assert.equal(readyz.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(readyz.headers['x-content-type-options'], 'nosniff');
  const names = checkNames(readyz.text);
  assert.deepEqual(names.slice(0, 5), ['ping', 'log', 'etcd', 'etcd-readiness', 'informer-sync']);
  assert.equal(names.at(-1), 'shutdown');
  // The post-start hooks and the checks the servers of the chain add (the aggregator's autoregister-completion).
  const hooks = names.slice(5, -1);
  assert.ok(hooks.length >= 5, names.join(' '));
  assert.ok(hooks.includes('poststarthook/rbac/bootstrap-roles'));
  assert.ok(hooks.includes('poststarthook/bootstrap-controller'));
  assert.match(readyz.text, /^\[\+\]ping ok\n\[\+\]log ok\n\[\+\]etcd ok\n\[\+\]etcd-readiness ok\n\[\+\]informer-sync ok\n/);
  assert.ok(readyz.text.endsWith('[+]shutdown ok\nreadyz check passed\n'));

  for (const endpoint of ['livez', 'healthz']) {
    const res = await server.request('GET', `/${endpoint}?verbose`);
    assert.equal(res.status, 200);
    const n = checkNames(res.text);
    assert.deepEqual(n.slice(0, 3), ['ping', 'log', 'etcd']);
    assert.deepEqual(n.slice(3), hooks, `${endpoint} has the post-start hooks and autoregister-completion too`);
    assert.ok(res.text.endsWith(`${endpoint} check passed\n`));
  }
  assert.equal((await server.request('GET', '/readyz')).text, 'ok');
  assert.equal((await anonymousRequest(server, 'GET', '/livez')).text, 'ok', 'public');
});

/**
 * v1.32 kube-apiserver's /readyz?verbose with its default admission plug-ins, feature gates and post-start hooks
 * (recorded from a running server). kube-ts runs some of these; those it runs must come in this order.
 */
const upstreamReadyz = [
  'ping', 'log', 'etcd', 'etcd-readiness', 'informer-sync',
  'poststarthook/start-apiserver-admission-initializer', 'poststarthook/generic-apiserver-start-informers',
  'poststarthook/priority-and-fairness-config-consumer', 'poststarthook/priority-and-fairness-filter',
  'poststarthook/storage-object-count-tracker-hook', 'poststarthook/start-apiextensions-informers',
  'poststarthook/start-apiextensions-controllers', 'poststarthook/crd-informer-synced',
  'poststarthook/start-system-namespaces-controller', 'poststarthook/start-cluster-authentication-info-controller',
  'poststarthook/start-kube-apiserver-identity-lease-controller',
  'poststarthook/start-kube-apiserver-identity-lease-garbage-collector',
  'poststarthook/start-legacy-token-tracking-controller', 'poststarthook/start-service-ip-repair-controllers',
  'poststarthook/rbac/bootstrap-roles', 'poststarthook/scheduling/bootstrap-system-priority-classes',
  'poststarthook/priority-and-fairness-config-producer', 'poststarthook/bootstrap-controller',
  'poststarthook/aggregator-reload-proxy-client-cert', 'poststarthook/start-kube-aggregator-informers',
  'poststarthook/apiservice-status-local-available-controller',
  'poststarthook/apiservice-status-remote-available-controller', 'poststarthook/apiservice-registration-controller',
  'poststarthook/apiservice-discovery-controller', 'poststarthook/kube-apiserver-autoregistration',
  'autoregister-completion', 'poststarthook/apiservice-openapi-controller', 'poststarthook/apiservice-openapiv3-controller',
  'shutdown',
];

test('the checks upstream has come in upstream\'s order, on all three endpoints; kube-ts\'s own before shutdown', async () => {
  const readyz = checkNames((await server.request('GET', '/readyz?verbose')).text);
  const known = readyz.filter((n) => upstreamReadyz.includes(n));
  assert.deepEqual(known, upstreamReadyz.filter((n) => known.includes(n)), 'in upstream\'s order');
  // What kube-ts runs of upstream's list, at least: its own hooks come after them, shutdown last.
  for (const n of ['poststarthook/priority-and-fairness-config-consumer', 'poststarthook/start-apiextensions-informers', 'poststarthook/crd-informer-synced', 'poststarthook/start-system-namespaces-controller', 'poststarthook/bootstrap-controller', 'poststarthook/kube-apiserver-autoregistration', 'autoregister-completion']) assert.ok(known.includes(n), n);
  const own = readyz.slice(known.length - 1, -1);
  assert.ok(own.every((n) => !upstreamReadyz.includes(n)), readyz.join(' '));
  assert.equal(readyz.at(-1), 'shutdown');
  for (const endpoint of ['livez', 'healthz']) {
    const names = checkNames((await server.request('GET', `/${endpoint}?verbose`)).text);
    assert.deepEqual(names, readyz.filter((n) => !['etcd-readiness', 'informer-sync', 'shutdown'].includes(n)), endpoint);
  }
  assert.equal((await server.request('GET', '/livez/autoregister-completion')).text, 'ok');
  assert.equal((await server.request('GET', '/healthz/autoregister-completion')).text, 'ok');
});

test('every check a verbose answer lists answers on its own path', async () => {
  for (const endpoint of ['readyz', 'livez', 'healthz']) {
    for (const name of checkNames((await server.request('GET', `/${endpoint}?verbose`)).text)) {
      const res = await server.request('GET', `/${endpoint}/${name}`);
      assert.equal(res.status, 200, `/${endpoint}/${name}`);
      assert.equal(res.text, 'ok', `/${endpoint}/${name}`);
    }
  }
});

test('?exclude skips a check, and names that match none are reported', async () => {
  const res = await server.request('GET', '/readyz?verbose&exclude=etcd&exclude=informer-sync&exclude=nope&exclude=also-nope');
  assert.equal(res.status, 200);
  assert.match(res.text, /^\[\+\]etcd excluded: ok$/m);
  assert.match(res.text, /^\[\+\]informer-sync excluded: ok$/m);
  assert.match(res.text, /^warn: some health checks cannot be excluded: no matches for "also-nope","nope"\nreadyz check passed\n$/m);
});

test('one check by name, post-start hooks included; an unknown name is 404', async () => {
  for (const path of ['/readyz/ping', '/readyz/etcd', '/readyz/etcd-readiness', '/livez/log', '/healthz/etcd', '/readyz/informer-sync', '/readyz/shutdown', '/readyz/poststarthook/rbac/bootstrap-roles', '/livez/poststarthook/start-namespace-controller']) {
    const res = await server.request('GET', path);
    assert.equal(res.status, 200, path);
    assert.equal(res.text, 'ok', path);
  }
  const missing = await server.request('GET', '/readyz/no-such-check');
  assert.equal(missing.status, 404);
  assert.equal(missing.json.reason, 'NotFound');
  assert.equal((await server.request('GET', '/livez/shutdown')).status, 404, 'shutdown is a readiness check only');
});

test('a stopped etcd fails the etcd checks, with the reason only on the single check', async () => {
  await etcd.kill();
  try {
    let readyz!: Awaited<ReturnType<TestServer['request']>>;
    await eventually(async () => {
      readyz = await server.request('GET', '/readyz?verbose');
      return readyz.status === 500;
    }, 'readyz to fail');
    assert.match(readyz.text, /^\[\+\]ping ok$/m);
    assert.match(readyz.text, /^\[-\]etcd failed: reason withheld$/m);
    assert.match(readyz.text, /^\[-\]etcd-readiness failed: reason withheld$/m);
    assert.ok(readyz.text.endsWith('readyz check failed\n'), readyz.text);
    // Failing answers list every check even without ?verbose, as upstream's.
    const plain = await anonymousRequest(server, 'GET', '/livez');
    assert.equal(plain.status, 500);
    assert.match(plain.text, /^\[-\]etcd failed: reason withheld\n/m);
    assert.ok(plain.text.endsWith('livez check failed\n'));
    assert.equal((await server.request('GET', '/livez?exclude=etcd')).status, 200, 'the rest still pass');

    const single = await server.request('GET', '/readyz/etcd');
    assert.equal(single.status, 500);
    assert.match(single.text, /^internal server error: .+\n$/);
  } finally {
    await etcd.restart();
  }
  await eventually(async () => (await server.request('GET', '/readyz')).status === 200, 'readyz to recover', 30_000);
});

test('-v=3 writes one httplog line per request', async () => {
  const marker = `httplog-${Date.now()}`;
  const res = await server.request('GET', `/api/v1/namespaces/default/configmaps?labelSelector=${marker}`, undefined, { 'User-Agent': `kube-ts-test/${marker}`, 'Audit-ID': marker });
  assert.equal(res.status, 200);
  const denied = await anonymousRequest(server, 'GET', `/api/v1/namespaces/default/secrets?labelSelector=${marker}`);
  assert.equal(denied.status, 403);
  let lines: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  await eventually(() => {
    lines = server
      .logs()
      .split('\n')
      .filter((l) => l.startsWith('{') && l.includes(marker))
      .map((l) => JSON.parse(l))
      .filter((l) => l.msg === 'HTTP');
    return lines.length >= 2;
  }, 'the httplog lines');
  assert.equal(lines.length, 2, 'one line per request');
  const [ok, forbidden] = lines;
  assert.equal(ok.v, 3);
  assert.equal(ok.verb, 'GET');
  assert.equal(ok.URI, `/api/v1/namespaces/default/configmaps?labelSelector=${marker}`);
  assert.equal(ok.userAgent, `kube-ts-test/${marker}`);
  assert.equal(ok['audit-ID'], marker);
  assert.match(ok.srcIP, /^127\.0\.0\.1:\d+$/);
  assert.equal(ok.resp, 200);
  assert.match(ok.latency, /^\d+(\.\d+)?(ns|µs|ms|s)$/);
  assert.equal(forbidden.resp, 403, 'rejected requests are logged too');
});
