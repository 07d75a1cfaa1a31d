// Auditing through the real server: a policy file, the JSON-lines log, kubectl's requests and their stages, levels
// per rule, None rules, omitStages, secrets at Metadata, watches, the Audit-Id header and the flush on shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually, kubectlRunner } from '../support/kubectl.ts';

const tmp = mkdtempSync(join(tmpdir(), 'kube-ts-audit-'));
const logPath = join(tmp, 'logs', 'audit.log');
const policyPath = join(tmp, 'policy.yaml');
writeFileSync(
  policyPath,
  `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    nonResourceURLs: ["/healthz*", "/readyz*", "/livez*"]
  - level: None
    namespaces: ["ignored"]
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets"]
  - level: Request
    namespaces: ["quiet"]
    omitStages: ["RequestReceived"]
  - level: RequestResponse
    resources:
      - group: ""
        resources: ["configmaps"]
  - level: Metadata
`,
);

let server: TestServer;
let kubectl: ReturnType<typeof kubectlRunner>;

before(async () => {
  // --allow-privileged: a privileged pod's PodSecurity audit annotation is among what is tested.
  server = await startServer({ args: ['--allow-privileged=true', '--audit-policy-file', policyPath, '--audit-log-path', logPath] });
  kubectl = kubectlRunner(server.kubeconfig);
});
after(async () => {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

type Ev = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function events(): Ev[] {
  if (!existsSync(logPath)) return [];
  return readFileSync(logPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Waits for events matching `pick`, until `until` holds for them. */
async function waitFor(pick: (e: Ev) => boolean, until: (evs: Ev[]) => boolean, what: string): Promise<Ev[]> {
  let found: Ev[] = [];
  await eventually(() => until((found = events().filter(pick))), what);
  return found;
}

const microRFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

test('kubectl create, get and delete of a ConfigMap: both stages, level RequestResponse, objects and annotations', async () => {
  const created = await kubectl.run(['create', 'configmap', 'c1', '-n', 'default', '--from-literal=color=blue']);
  assert.equal(created.code, 0, created.stderr);
  assert.equal((await kubectl.run(['get', 'configmap', 'c1', '-n', 'default', '-o', 'name'])).code, 0);
  const deleted = await kubectl.run(['delete', 'configmap', 'c1', '-n', 'default']);
  assert.equal(deleted.code, 0, deleted.stderr);

  const cm = (e: Ev) => e.objectRef?.resource === 'configmaps' && e.objectRef?.name === 'c1';
  const evs = await waitFor(cm, (l) => l.some((e) => e.verb === 'delete' && e.stage === 'ResponseComplete'), 'configmap events');
  // The name of a create comes from its body: the RequestReceived event does not have it yet.
  const createID = evs.find((e) => e.verb === 'create')!.auditID;
  const create = events().filter((e) => e.auditID === createID);
  assert.deepEqual(create.map((e) => e.stage), ['RequestReceived', 'ResponseComplete']);
  const [received, complete] = create;
  assert.deepEqual(received.objectRef, { resource: 'configmaps', namespace: 'default', apiVersion: 'v1' });
  assert.equal(received.auditID, complete.auditID);
  assert.equal(received.kind, 'Event');
  assert.equal(received.apiVersion, 'audit.k8s.io/v1');
  assert.equal(complete.level, 'RequestResponse');
  assert.match(complete.requestURI, /^\/api\/v1\/namespaces\/default\/configmaps\?/);
  assert.equal(complete.user.username, 'kube-ts-admin');
  assert.ok(complete.user.groups.includes('system:masters'));
  assert.deepEqual(complete.sourceIPs, ['127.0.0.1']);
  assert.match(complete.userAgent, /^kubectl\//);
  assert.deepEqual(complete.objectRef, { resource: 'configmaps', namespace: 'default', name: 'c1', apiVersion: 'v1' });
  assert.deepEqual(complete.responseStatus, { metadata: {}, code: 201 });
  assert.equal(complete.requestObject.data.color, 'blue', 'request object (kubectl sent protobuf; logged as JSON)');
  assert.equal(complete.responseObject.metadata.name, 'c1');
  assert.ok(complete.responseObject.metadata.uid);
  assert.equal(received.requestObject, undefined, 'nothing read yet at RequestReceived');
  assert.equal(received.responseStatus, undefined);
  assert.match(received.requestReceivedTimestamp, microRFC3339);
  assert.equal(received.stageTimestamp, received.requestReceivedTimestamp);
  assert.match(complete.stageTimestamp, microRFC3339);
  assert.ok(complete.stageTimestamp >= complete.requestReceivedTimestamp);
  assert.deepEqual(complete.annotations, { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' });

  const get = evs.find((e) => e.verb === 'get' && e.stage === 'ResponseComplete' && e.responseStatus.code === 200)!;
  assert.equal(get.responseObject.data.color, 'blue');
  assert.equal(get.requestObject, undefined);

  const del = evs.find((e) => e.verb === 'delete' && e.stage === 'ResponseComplete')!;
  assert.equal(del.responseStatus.code, 200);
  assert.equal(del.responseStatus.status, 'Success');
  assert.equal(del.requestObject.propagationPolicy, 'Background', 'the DeleteOptions kubectl sent');
  // kubectl then waits for the object to go: a 404 get, logged with the Status.
  const notFound = await waitFor((e) => cm(e) && e.verb === 'get' && e.responseStatus?.code === 404, (l) => l.length > 0, 'the 404 get');
  assert.equal(notFound[0].responseStatus.reason, 'NotFound');
  assert.equal(notFound[0].responseStatus.status, 'Failure');
  assert.match(notFound[0].responseStatus.message, /configmaps "c1" not found/);
  assert.equal(notFound[0].responseObject.kind, 'Status');
});

test('a list served from the watch cache is logged as its JSON object at RequestResponse', async () => {
  assert.equal((await kubectl.run(['create', 'configmap', 'listed', '-n', 'default', '--from-literal=shade=teal'])).code, 0);
  const got = await kubectl.run(['get', 'configmaps', '-n', 'default', '-o', 'json']);
  assert.equal(got.code, 0, got.stderr);
  const lists = await waitFor(
    (e) => e.verb === 'list' && e.objectRef?.resource === 'configmaps' && e.stage === 'ResponseComplete' && e.responseStatus?.code === 200,
    (l) => l.some((e) => e.responseObject?.items?.some((i: { metadata: { name: string } }) => i.metadata.name === 'listed')),
    'the list event',
  );
  const list = lists.find((e) => e.responseObject.items.some((i: { metadata: { name: string } }) => i.metadata.name === 'listed'))!;
  assert.equal(list.responseObject.kind, 'ConfigMapList');
  assert.equal(list.responseObject.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'listed').data.shade, 'teal');
});

test('secrets are logged at Metadata: no data, no objects', async () => {
  const res = await kubectl.run(['create', 'secret', 'generic', 'db', '-n', 'default', '--from-literal=password=hunter2-very-secret']);
  assert.equal(res.code, 0, res.stderr);
  assert.equal((await kubectl.run(['get', 'secret', 'db', '-n', 'default', '-o', 'yaml'])).code, 0);
  const evs = await waitFor((e) => e.objectRef?.resource === 'secrets' && e.objectRef?.name === 'db', (l) => l.filter((e) => e.stage === 'ResponseComplete').length >= 2, 'secret events');
  for (const e of evs) {
    assert.equal(e.level, 'Metadata');
    assert.equal(e.requestObject, undefined);
    assert.equal(e.responseObject, undefined);
  }
  const text = readFileSync(logPath, 'utf8');
  assert.ok(!text.includes('hunter2-very-secret') && !text.includes(Buffer.from('hunter2-very-secret').toString('base64')), 'no secret data in the log');
});

test('None rules are not logged; omitStages leaves stages out', async () => {
  await server.request('GET', '/healthz');
  await server.request('GET', '/readyz?verbose');
  for (const ns of ['ignored', 'quiet']) assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
  const a = await server.request('POST', '/api/v1/namespaces/ignored/configmaps', { metadata: { name: 'x' }, data: { a: '1' } });
  const b = await server.request('POST', '/api/v1/namespaces/quiet/configmaps', { metadata: { name: 'y' }, data: { a: '2' } });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  const quiet = await waitFor((e) => e.objectRef?.namespace === 'quiet' && e.objectRef?.resource === 'configmaps', (l) => l.length > 0, 'the quiet create');
  assert.deepEqual(quiet.map((e) => e.stage), ['ResponseComplete'], 'RequestReceived omitted');
  assert.equal(quiet[0].level, 'Request');
  assert.deepEqual(quiet[0].requestObject, { metadata: { name: 'y' }, data: { a: '2' } }, 'the JSON body as sent');
  assert.equal(quiet[0].responseObject, undefined, 'Request level: no response object');
  // The namespace creation itself is cluster-scoped: the catch-all Metadata rule.
  await waitFor((e) => e.objectRef?.resource === 'namespaces' && e.objectRef?.name === 'ignored' && e.stage === 'ResponseComplete', (l) => l.length === 1, 'namespace create');
  const all = events();
  assert.ok(!all.some((e) => e.objectRef?.namespace === 'ignored'), 'namespace "ignored" is not audited');
  assert.ok(!all.some((e) => /^\/(healthz|readyz|livez)/.test(e.requestURI)), 'health checks are not audited');
});

test('a patch body is logged as sent: an integer past 2^53 keeps its digits', async () => {
  const cm = await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'patched' } });
  assert.equal(cm.status, 201, cm.text);
  const r = await server.request('PATCH', '/api/v1/namespaces/default/configmaps/patched', '{"metadata":{"annotations":{"n":"9007199254740993"}},"x":9007199254740993}', { 'Content-Type': 'application/merge-patch+json' });
  assert.equal(r.status, 200, r.text);
  await waitFor((e) => e.verb === 'patch' && e.objectRef?.name === 'patched' && e.stage === 'ResponseComplete', (l) => l.length === 1, 'the patch');
  const line = readFileSync(logPath, 'utf8').split('\n').find((l) => l.includes('"verb":"patch"') && l.includes('"name":"patched"') && l.includes('"stage":"ResponseComplete"'));
  assert.ok(line?.includes('"requestObject":{"metadata":{"annotations":{"n":"9007199254740993"}},"x":9007199254740993}'), line);
});

test('a watch has ResponseStarted when it starts and ResponseComplete when it ends', async () => {
  const list = await server.request('GET', '/api/v1/namespaces/default/configmaps');
  const w = await server.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${list.json.metadata.resourceVersion}&timeoutSeconds=2`, { 'Audit-ID': 'watch-audit-1' });
  assert.equal(w.headers['audit-id'], 'watch-audit-1');
  const started = await waitFor((e) => e.auditID === 'watch-audit-1', (l) => l.some((e) => e.stage === 'ResponseStarted'), 'ResponseStarted');
  assert.deepEqual(started.map((e) => e.stage), ['RequestReceived', 'ResponseStarted'], 'not complete while the watch runs');
  assert.equal(started[1].verb, 'watch');
  assert.deepEqual(started[1].responseStatus, { metadata: {}, code: 200 });
  const done = await waitFor((e) => e.auditID === 'watch-audit-1', (l) => l.some((e) => e.stage === 'ResponseComplete'), 'ResponseComplete');
  assert.deepEqual(done.map((e) => e.stage), ['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
  assert.ok(Date.parse(done[2].stageTimestamp) - Date.parse(done[1].stageTimestamp) >= 1500, 'complete when the 2 s watch ended');
  w.close();

  // A client that goes away ends the watch too.
  const w2 = await server.watch('/api/v1/namespaces/default/configmaps?watch=true', { 'Audit-ID': 'watch-audit-2' });
  await waitFor((e) => e.auditID === 'watch-audit-2', (l) => l.some((e) => e.stage === 'ResponseStarted'), 'second watch started');
  w2.close();
  await waitFor((e) => e.auditID === 'watch-audit-2', (l) => l.some((e) => e.stage === 'ResponseComplete'), 'second watch complete after the client left');
});

test('every response carries Audit-Id: generated, or the client\'s Audit-ID', async () => {
  const plain = await server.request('GET', '/api/v1/namespaces/default');
  assert.match(String(plain.headers['audit-id']), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const health = await server.request('GET', '/healthz');
  assert.ok(health.headers['audit-id'], 'also on requests that are not audited');
  const traced = await server.request('GET', '/api/v1/namespaces/default', undefined, { 'Audit-ID': 'client-chosen-id' });
  assert.equal(traced.headers['audit-id'], 'client-chosen-id');
  const missing = await server.request('GET', '/api/v1/namespaces/nope/configmaps/none', undefined, { 'Audit-ID': 'client-404' });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['audit-id'], 'client-404', 'on errors too');
  const logged = await waitFor((e) => e.auditID === 'client-chosen-id', (l) => l.length === 2, 'events with the client audit ID');
  assert.deepEqual(logged.map((e) => e.stage), ['RequestReceived', 'ResponseComplete']);
});

test('impersonation: the event keeps the requestor as user and names the impersonated user', async () => {
  const res = await server.request('GET', '/api/v1/namespaces/default/configmaps', undefined, { 'Impersonate-User': 'bob', 'Impersonate-Group': 'devs', 'Audit-ID': 'as-bob' });
  assert.ok([200, 403].includes(res.status), res.text);
  const evs = await waitFor((e) => e.auditID === 'as-bob', (l) => l.some((e) => e.stage === 'ResponseComplete'), 'the impersonated request');
  const done = evs.find((e) => e.stage === 'ResponseComplete')!;
  assert.equal(done.user.username, 'kube-ts-admin');
  assert.equal(done.impersonatedUser.username, 'bob');
  assert.ok(done.impersonatedUser.groups.includes('devs'));
});

test('admission plug-ins annotate the event: PodSecurity audit violations', async () => {
  const ns = { metadata: { name: 'psa-audit', labels: { 'pod-security.kubernetes.io/audit': 'restricted' } } };
  assert.equal((await server.request('POST', '/api/v1/namespaces', ns)).status, 201);
  const pod = { metadata: { name: 'priv' }, spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] } };
  const res = await server.request('POST', '/api/v1/namespaces/psa-audit/pods', pod, { 'Audit-ID': 'psa-pod' });
  assert.equal(res.status, 201, res.text);
  const [done] = await waitFor((e) => e.auditID === 'psa-pod' && e.stage === 'ResponseComplete', (l) => l.length === 1, 'the pod create');
  assert.match(done.annotations['pod-security.kubernetes.io/audit-violations'], /would violate PodSecurity "restricted:latest": privileged/);
  assert.equal(done.annotations['authorization.k8s.io/decision'], 'allow');
  // A map, written with its keys sorted as Go writes one (PodSecurity adds enforce-policy before audit-violations).
  const line = readFileSync(logPath, 'utf8').split('\n').find((l) => l.includes('"auditID":"psa-pod"') && l.includes('"stage":"ResponseComplete"'))!;
  const annotations = Object.keys(JSON.parse(line).annotations);
  assert.ok(annotations.includes('pod-security.kubernetes.io/enforce-policy'), line);
  assert.deepEqual(annotations, [...annotations].sort());
});

test("a map with keys of digits is logged in Go's order (\"10\" before \"9\"), as kube-apiserver logs it", async () => {
  const res = await kubectl.run(['create', 'configmap', 'digits', '-n', 'default', '--from-literal=9=y', '--from-literal=10=x', '--from-literal=a=z']);
  assert.equal(res.code, 0, res.stderr);
  await waitFor((e) => e.verb === 'create' && e.objectRef?.name === 'digits' && e.stage === 'ResponseComplete', (l) => l.length > 0, 'the create event');
  const line = readFileSync(logPath, 'utf8').split('\n').find((l) => l.includes('"verb":"create"') && l.includes('"name":"digits"') && l.includes('"stage":"ResponseComplete"'))!;
  // The request object and the response object.
  assert.equal(line.split('"data":{"10":"x","9":"y","a":"z"}').length - 1, 2, line);
});

test("the log line is written as Go writes it: user.extra with its keys sorted, HTML characters escaped", async () => {
  const headers = { 'Impersonate-User': 'carol', 'Impersonate-Extra-Zeta': 'z', 'Impersonate-Extra-Alpha': 'a', 'Audit-ID': 'go-text' };
  const res = await server.request('GET', '/api/v1/namespaces/default/configmaps?limit=1&labelSelector=a%3Db', undefined, headers);
  assert.ok([200, 403].includes(res.status), res.text);
  await waitFor((e) => e.auditID === 'go-text', (l) => l.some((e) => e.stage === 'ResponseComplete'), 'the request');
  const line = readFileSync(logPath, 'utf8').split('\n').find((l) => l.includes('"auditID":"go-text"') && l.includes('"stage":"ResponseComplete"'))!;
  // json.NewEncoder escapes '&' in every string; user.extra and annotations are maps, written sorted.
  assert.ok(line.includes('"requestURI":"/api/v1/namespaces/default/configmaps?limit=1\\u0026labelSelector=a%3Db"'), line);
  assert.ok(line.includes('"extra":{"alpha":["a"],"zeta":["z"]}'), line);
});

test('events of the last requests are written before the server exits', async () => {
  const res = await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'last' }, data: { a: 'b' } }, { 'Audit-ID': 'last-request' });
  assert.equal(res.status, 201);
  await server.stop();
  const evs = events().filter((e) => e.auditID === 'last-request');
  assert.deepEqual(evs.map((e) => e.stage), ['RequestReceived', 'ResponseComplete']);
});
