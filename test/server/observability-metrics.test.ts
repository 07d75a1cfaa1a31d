// /metrics: upstream's metric names and labels, read after real requests; who may read it; kubectl get --raw; and
// that the default verbosity writes no per-request log line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type TestServer } from '../support/server.ts';
import { anonymousRequest, testUser } from '../support/users.ts';
import { kubectlRunner, eventually } from '../support/kubectl.ts';
import { startWebhookServer, type WebhookServer } from '../support/webhook-server.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (one sample per line, `# ` lines skipped). */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** The sum of every sample of `name` whose labels include `want`. */
function sum(samples: Sample[], name: string, want: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(want).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
}

function has(samples: Sample[], name: string, want: Record<string, string> = {}): boolean {
  return samples.some((s) => s.name === name && Object.entries(want).every(([k, v]) => s.labels[k] === v));
}

let server: TestServer;
let webhook: WebhookServer;

async function scrape(): Promise<Sample[]> {
  const res = await server.request('GET', '/metrics');
  assert.equal(res.status, 200, res.text);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return parse(res.text);
}

before(async () => {
  webhook = await startWebhookServer(() => ({ response: { allowed: true } }));
  server = await startServer({ args: [] });
  // Audit everything at Metadata level into a file (for apiserver_audit_event_total) needs a restart with flags:
  // this server runs without a policy, a second one below has one.
});

after(async () => {
  await server?.stop();
  await webhook?.close();
});

test('apiserver_request_total counts real requests by verb, resource, scope and code', async () => {
  const ns = '/api/v1/namespaces/default/configmaps';
  const postLabels = { verb: 'POST', dry_run: '', group: '', version: 'v1', resource: 'configmaps', subresource: '', scope: 'resource', component: 'apiserver', code: '201' };
  const before = await scrape();
  for (let i = 0; i < 3; i++) assert.equal((await server.request('POST', ns, { metadata: { name: `metrics-${i}` } })).status, 201);
  assert.equal((await server.request('POST', ns, { metadata: { name: 'metrics-0' } })).status, 409);
  assert.equal((await server.request('GET', `${ns}/metrics-0`)).status, 200);
  assert.equal((await server.request('GET', `${ns}/missing`)).status, 404);
  assert.equal((await server.request('GET', ns)).status, 200);
  assert.equal((await server.request('GET', '/api/v1/configmaps')).status, 200);
  assert.equal((await server.request('POST', `${ns}?dryRun=All`, { metadata: { name: 'metrics-dry' } })).status, 201);
  assert.equal((await server.request('GET', '/api/v1/namespaces/default/nosuchresources')).status, 404);
  assert.equal((await server.request('PATCH', `${ns}/metrics-1?fieldManager=t`, { data: { a: 'b' } }, { 'Content-Type': 'application/merge-patch+json' })).status, 200);
  const after = await scrape();

  const grew = (labels: Record<string, string>) => sum(after, 'apiserver_request_total', labels) - sum(before, 'apiserver_request_total', labels);
  assert.equal(grew(postLabels), 3, 'three creates');
  assert.equal(grew({ verb: 'POST', resource: 'configmaps', code: '409' }), 1, 'one conflict');
  assert.equal(grew({ verb: 'GET', resource: 'configmaps', scope: 'resource', code: '200' }), 1);
  assert.equal(grew({ verb: 'GET', resource: 'configmaps', scope: 'resource', code: '404' }), 1, 'a missing object of a served resource is counted');
  assert.equal(grew({ verb: 'LIST', resource: 'configmaps', scope: 'namespace', code: '200' }), 1);
  assert.equal(grew({ verb: 'LIST', resource: 'configmaps', scope: 'cluster', code: '200' }), 1);
  assert.equal(grew({ verb: 'POST', resource: 'configmaps', dry_run: 'All', code: '201' }), 1);
  assert.equal(grew({ verb: 'PATCH', resource: 'configmaps', scope: 'resource', code: '200' }), 1);
  assert.ok(!has(after, 'apiserver_request_total', { resource: 'nosuchresources' }), 'resources nobody serves make no series');

  // The latency histogram: upstream's buckets, one observation per create.
  const h = { verb: 'POST', dry_run: '', group: '', version: 'v1', resource: 'configmaps', subresource: '', scope: 'resource', component: 'apiserver' };
  const count = (s: Sample[]) => sum(s, 'apiserver_request_duration_seconds_count', h);
  assert.equal(count(after) - count(before), 4, 'three creates and one conflict');
  const les = after.filter((s) => s.name === 'apiserver_request_duration_seconds_bucket' && s.labels.resource === 'configmaps' && s.labels.verb === 'POST' && s.labels.dry_run === '').map((s) => s.labels.le);
  assert.deepEqual(les, ['0.005', '0.025', '0.05', '0.1', '0.2', '0.4', '0.6', '0.8', '1', '1.25', '1.5', '2', '3', '4', '5', '6', '8', '10', '15', '20', '30', '45', '60', '+Inf']);
  assert.equal(sum(after, 'apiserver_request_duration_seconds_bucket', { ...h, le: '+Inf' }), count(after));
  assert.ok(sum(after, 'apiserver_request_duration_seconds_sum', h) > 0);

  // The store behind them: etcd_request_duration_seconds under its upstream name (SQLite here), and object counts.
  const creates = (s: Sample[]) => sum(s, 'etcd_request_duration_seconds_count', { operation: 'create', type: 'configmaps' });
  assert.ok(creates(after) - creates(before) >= 4, `store creates: ${creates(before)} -> ${creates(after)}`);
  assert.ok(has(after, 'etcd_request_duration_seconds_bucket', { operation: 'list', type: 'clusterroles.rbac.authorization.k8s.io', le: '0.005' }));
  await eventually(async () => sum(await scrape(), 'apiserver_storage_objects', { resource: 'configmaps' }) === sum(before, 'apiserver_storage_objects', { resource: 'configmaps' }) + 3, 'apiserver_storage_objects to count the three configmaps');
  assert.ok(sum(after, 'apiserver_storage_objects', { resource: 'clusterroles.rbac.authorization.k8s.io' }) > 50, 'bootstrap cluster roles are counted');

  // In-flight gauges and process metrics.
  assert.ok(has(after, 'apiserver_current_inflight_requests', { request_kind: 'readOnly' }));
  assert.ok(has(after, 'apiserver_current_inflight_requests', { request_kind: 'mutating' }));
  assert.ok(sum(after, 'process_cpu_seconds_total') > 0);
  assert.ok(sum(after, 'process_resident_memory_bytes') > 0);
  assert.ok(after.some((s) => s.name.startsWith('nodejs_')));
  // API Priority and Fairness registers into the same registry.
  await eventually(async () => has(await scrape(), 'apiserver_flowcontrol_nominal_limit_seats', { priority_level: 'workload-low' }), 'apiserver_flowcontrol_* in /metrics');
});

test('watches: apiserver_longrunning_requests while open, apiserver_watch_events_total per event, WATCH latency when done', async () => {
  const watchLabels = { verb: 'WATCH', group: '', version: 'v1', resource: 'configmaps', subresource: '', scope: 'namespace', component: 'apiserver' };
  const before = await scrape();
  const events = (s: Sample[]) => sum(s, 'apiserver_watch_events_total', { group: '', version: 'v1', kind: 'ConfigMap' });
  const rv = (await server.request('GET', '/api/v1/namespaces/default/configmaps')).json.metadata.resourceVersion;
  const w = await server.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`);
  assert.equal(w.status, 200);
  await eventually(async () => sum(await scrape(), 'apiserver_longrunning_requests', watchLabels) === 1, 'the watch to be counted as long-running');
  assert.equal((await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'watched' } })).status, 201);
  assert.equal((await w.next()).object.metadata.name, 'watched');
  const during = await scrape();
  assert.equal(events(during) - events(before), 1, `watch events: ${events(before)} -> ${events(during)}`);
  const watchDone = (s: Sample[]) => sum(s, 'apiserver_request_total', { ...watchLabels, code: '200' });
  assert.equal(watchDone(during) - watchDone(before), 0, 'a watch is recorded when it ends');
  w.close();
  await eventually(async () => {
    const s = await scrape();
    return sum(s, 'apiserver_longrunning_requests', watchLabels) === 0 && watchDone(s) - watchDone(before) === 1;
  }, 'the ended watch to leave the gauge and be counted once');
});

test('apiserver_admission_webhook_admission_duration_seconds times each webhook call', async () => {
  const name = 'metrics.webhook.example.com';
  const cfg = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'metrics-test' },
    webhooks: [
      {
        name,
        clientConfig: { url: `${webhook.url}/validate`, caBundle: webhook.caBundle },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
        objectSelector: { matchLabels: { 'metrics-test': 'yes' } },
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
    ],
  };
  assert.equal((await server.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', cfg)).status, 201);
  const labels = { name, operation: 'CREATE', rejected: 'false', type: 'validating' };
  await eventually(async () => {
    const res = await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { generateName: 'hooked-', labels: { 'metrics-test': 'yes' } } });
    assert.equal(res.status, 201, res.text);
    return webhook.received.length > 0;
  }, 'the webhook to be called');
  const s = await scrape();
  assert.equal(sum(s, 'apiserver_admission_webhook_admission_duration_seconds_count', labels), webhook.received.length);
  assert.ok(has(s, 'apiserver_admission_webhook_admission_duration_seconds_bucket', { ...labels, le: '25' }));
});

test('system:monitoring reads /metrics and the health checks; anonymous and other users are forbidden', async () => {
  const monitor = testUser(server, 'prometheus', ['system:monitoring']);
  const res = await monitor.request('GET', '/metrics');
  assert.equal(res.status, 200);
  assert.match(res.text, /^# HELP apiserver_request_total Counter of apiserver requests/m);
  assert.equal((await monitor.request('GET', '/readyz/etcd')).status, 200);
  assert.equal((await monitor.request('GET', '/livez/ping')).text, 'ok');

  const anon = await anonymousRequest(server, 'GET', '/metrics');
  assert.equal(anon.status, 403);
  assert.equal(anon.json.reason, 'Forbidden');
  assert.match(anon.json.message, /User "system:anonymous" cannot get path "\/metrics"/);
  assert.equal((await anonymousRequest(server, 'GET', '/readyz')).status, 200, 'the root health checks stay public');
  assert.equal((await anonymousRequest(server, 'GET', '/readyz/etcd')).status, 403);
  assert.equal((await testUser(server, 'nobody').request('GET', '/metrics')).status, 403);
});

test('kubectl get --raw /metrics', async () => {
  const kubectl = kubectlRunner(server.kubeconfig);
  // A create always reaches the store (reads may be answered by the watch cache).
  assert.equal((await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { generateName: 'scraped-' } })).status, 201);
  const res = await kubectl.run(['get', '--raw', '/metrics']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^apiserver_request_total\{verb="POST",dry_run="",group="",version="v1",resource="configmaps",subresource="",scope="resource",component="apiserver",code="201"\} \d+$/m);
  assert.match(res.stdout, /^# TYPE apiserver_request_duration_seconds histogram$/m);
  assert.match(res.stdout, /^etcd_request_duration_seconds_count\{operation="create",type="configmaps"\} [1-9]\d*$/m);
  // The create went through every layer, each of which added its time.
  for (const layer of ['authentication', 'authorization', 'decode', 'admission', 'validation', 'encode']) {
    const m = new RegExp(`^kube_ts_request_layer_seconds_total\\{layer="${layer}"\\} (\\S+)$`, 'm').exec(res.stdout);
    assert.ok(m && Number(m[1]) > 0, `${layer}: ${m?.[0]}`);
  }
});

test('at the default verbosity no request is logged', async () => {
  await server.request('GET', '/api/v1/namespaces/default/configmaps?limit=1');
  assert.ok(!/"msg":"HTTP"/.test(server.logs()), 'no httplog line without -v=3');
});

test('apiserver_audit_event_total counts the events written', async (t) => {
  const policy = join(server.dataDir, 'audit-policy.yaml');
  writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n');
  const log = join(server.dataDir, 'audit.log');
  const audited = await startServer({ args: ['--audit-policy-file', policy, '--audit-log-path', log], t });
  const before = sum(parse((await audited.request('GET', '/metrics')).text), 'apiserver_audit_event_total');
  await audited.request('GET', '/api/v1/namespaces/default/configmaps');
  const after = sum(parse((await audited.request('GET', '/metrics')).text), 'apiserver_audit_event_total');
  // The list (RequestReceived, ResponseComplete) and the first scrape's ResponseComplete, at least.
  assert.ok(after - before >= 3, `audit events: ${before} -> ${after}`);
  await eventually(() => existsSync(log) && readFileSync(log, 'utf8').split('\n').filter(Boolean).length >= after - 1, 'the audit log to hold the counted events');
});
