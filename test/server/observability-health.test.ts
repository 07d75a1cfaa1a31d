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
  const hooks = names.slice(5, -1);
  assert.ok(hooks.length >= 5 && hooks.every((n) => n.startsWith('poststarthook/')), names.join(' '));
  assert.ok(hooks.includes('poststarthook/rbac/bootstrap-roles'));
  assert.ok(hooks.includes('poststarthook/bootstrap-controller'));
  assert.match(readyz.text, /^\[\+\]ping ok\n\[\+\]log ok\n\[\+\]etcd ok\n\[\+\]etcd-readiness ok\n\[\+\]informer-sync ok\n/);
  assert.ok(readyz.text.endsWith('[+]shutdown ok\nreadyz check passed\n'));

  for (const endpoint of ['livez', 'healthz']) {
    const res = await server.request('GET', `/${endpoint}?verbose`);
    assert.equal(res.status, 200);
    const n = checkNames(res.text);
    assert.deepEqual(n.slice(0, 3), ['ping', 'log', 'etcd']);
    assert.deepEqual(n.slice(3), hooks, `${endpoint} has the post-start hooks too`);
    assert.ok(res.text.endsWith(`${endpoint} check passed\n`));
  }
  assert.equal((await server.request('GET', '/readyz')).text, 'ok');
  assert.equal((await anonymousRequest(server, 'GET', '/livez')).text, 'ok', 'public');
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
