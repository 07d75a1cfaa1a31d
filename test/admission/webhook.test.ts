/**
 * Admission webhooks against a real HTTPS webhook (its own CA given as caBundle): a mutating webhook's JSON patch
 * is stored (kubectl shows it), a validating webhook's refusal is what kubectl prints, namespace and object
 * selectors and matchConditions decide which requests are sent, dry runs need side-effect-free webhooks, warnings
 * reach kubectl, reinvocation, and webhook configurations are never sent to webhooks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { jsonPatch, startWebhookServer, type WebhookAnswer, type WebhookServer } from '../support/webhook-server.ts';
import { hostAddress } from '../support/host-address.ts';
import { group, install, namespace, reviewsOn, webhook } from './webhook-support.ts';

function answer(path: string, review: any): WebhookAnswer { // eslint-disable-line @typescript-eslint/no-explicit-any
  const obj = review.request?.object;
  switch (path) {
    case '/add-label':
      return {
        response: {
          allowed: true,
          ...jsonPatch(obj?.metadata?.labels ? [{ op: 'add', path: '/metadata/labels/mutated', value: 'yes' }] : [{ op: 'add', path: '/metadata/labels', value: { mutated: 'yes' } }]),
        },
      };
    case '/deny':
      return { response: { allowed: false, status: { code: 403, reason: 'Forbidden', message: 'configmaps here need a ticket' } } };
    case '/deny-plain':
      return { response: { allowed: false, status: { message: 'not today' } } };
    case '/warn':
      return { response: { allowed: true, warnings: ['this ConfigMap will be audited'], auditAnnotations: { checked: 'yes' } } };
    case '/reinvoked':
      return { response: { allowed: true } };
    case '/add-second':
      return obj?.metadata?.labels?.second ? { response: { allowed: true } } : { response: { allowed: true, ...jsonPatch([{ op: 'add', path: '/metadata/labels/second', value: 'x' }]) } };
    default:
      return { response: { allowed: true } };
  }
}

describe('admission webhooks', () => {
  let server: TestServer;
  let hooks: WebhookServer;
  let kubectl: ReturnType<typeof kubectlRunner>;

  before(async () => {
    hooks = await startWebhookServer(answer, { serviceNames: ['hook-svc.hooks.svc'] });
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
    await hooks?.close();
  });

  it('stores what a mutating webhook patched in, and sends it a complete AdmissionReview', async () => {
    await namespace(server, 'mut', { test: 'mut' });
    await install(server, hooks, 'mutating', 'label-adder', [webhook(hooks, 'label.test.io', '/add-label', { namespaceSelector: { matchLabels: { test: 'mut' } } })]);
    const created = await kubectl.run(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', namespace: 'mut' }, data: { a: 'b' } }));
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout.trim(), 'configmap/c1 created');
    const got = await kubectl.run(['get', 'configmap', 'c1', '-n', 'mut', '-o', 'jsonpath={.metadata.labels.mutated}']);
    assert.equal(got.stdout, 'yes');

    // (The root CA publisher's kube-root-ca.crt may be sent too: pick ours.)
    const review = reviewsOn(hooks, '/add-label').find((x) => x.request.name === 'c1');
    const received = hooks.received.find((x) => x.path === '/add-label' && x.review.request.name === 'c1')!;
    assert.equal(received.query.get('timeout'), '10s');
    assert.equal(review.apiVersion, 'admission.k8s.io/v1');
    assert.equal(review.kind, 'AdmissionReview');
    const req = review.request;
    assert.match(req.uid, /^[0-9a-f-]{36}$/);
    assert.deepEqual(req.kind, { group: '', version: 'v1', kind: 'ConfigMap' });
    assert.deepEqual(req.resource, { group: '', version: 'v1', resource: 'configmaps' });
    assert.deepEqual(req.requestKind, { group: '', version: 'v1', kind: 'ConfigMap' });
    assert.deepEqual(req.requestResource, { group: '', version: 'v1', resource: 'configmaps' });
    assert.equal(req.name, 'c1');
    assert.equal(req.namespace, 'mut');
    assert.equal(req.operation, 'CREATE');
    assert.equal(req.userInfo.username, 'kube-ts-admin');
    assert.ok(req.userInfo.groups.includes('system:masters'));
    assert.deepEqual(req.object.data, { a: 'b' });
    assert.equal(req.oldObject, null);
    assert.equal(req.dryRun, false);
    assert.equal(req.options.kind, 'CreateOptions');
    assert.equal(req.options.apiVersion, 'meta.k8s.io/v1');

    // An update is sent with the old object; the label stays.
    const labelled = await kubectl.run(['label', 'configmap', 'c1', '-n', 'mut', 'extra=1']);
    assert.equal(labelled.code, 0, labelled.stderr);
    const update = reviewsOn(hooks, '/add-label').filter((x) => x.request.name === 'c1').at(-1).request;
    assert.equal(update.operation, 'UPDATE');
    assert.equal(update.oldObject.metadata.labels.mutated, 'yes');
    assert.equal(update.options.kind, 'UpdateOptions');
  });

  it("writes the AdmissionReview's maps with keys of digits in Go's order (\"10\" before \"9\"), as kube-apiserver sends them", async () => {
    const created = await server.request('POST', '/api/v1/namespaces/mut/configmaps', '{"metadata":{"name":"digits"},"data":{"9":"y","10":"x","a":"z"}}', { 'Content-Type': 'application/json' });
    assert.equal(created.status, 201, created.text);
    const sent = hooks.received.find((x) => x.path === '/add-label' && x.review.request.name === 'digits')!;
    assert.ok(sent.text.includes('"data":{"10":"x","9":"y","a":"z"}'), sent.text);
  });

  it('sends a generateName create to mutating webhooks before the name, uid and creation time are set, to validating ones after', async () => {
    // As upstream: the create handler runs mutating admission, then the store fills those in and validating admission
    // gets the generated name (AdmissionToValidateObjectFunc).
    await namespace(server, 'gen', { test: 'gen' });
    await install(server, hooks, 'mutating', 'gen-seen-mut', [webhook(hooks, 'gen-mut.test.io', '/gen-mut', { namespaceSelector: { matchLabels: { test: 'gen' } } })]);
    await install(server, hooks, 'validating', 'gen-seen-val', [webhook(hooks, 'gen-val.test.io', '/gen-val', { namespaceSelector: { matchLabels: { test: 'gen' } } })]);
    const created = await server.request('POST', '/api/v1/namespaces/gen/configmaps', { metadata: { generateName: 'g-' } });
    assert.equal(created.status, 201, created.text);
    const name = created.json.metadata.name;
    const mutating = reviewsOn(hooks, '/gen-mut').at(-1).request;
    assert.equal(mutating.name, undefined);
    assert.equal(mutating.object.metadata.name, undefined);
    assert.equal(mutating.object.metadata.generateName, 'g-');
    assert.equal(mutating.object.metadata.uid, undefined);
    assert.equal(mutating.object.metadata.creationTimestamp, null);
    const validating = reviewsOn(hooks, '/gen-val').at(-1).request;
    assert.equal(validating.name, name);
    assert.equal(validating.object.metadata.name, name);
    assert.equal(validating.object.metadata.uid, created.json.metadata.uid);
  });

  it('refuses what a validating webhook denies, with the message kubectl prints, and stores nothing', async () => {
    await namespace(server, 'val', { test: 'val' });
    await install(server, hooks, 'validating', 'denier', [
      webhook(hooks, 'deny.test.io', '/deny', { namespaceSelector: { matchLabels: { test: 'val' } }, objectSelector: { matchLabels: { ticket: 'missing' } } }),
      webhook(hooks, 'plain.test.io', '/deny-plain', { namespaceSelector: { matchLabels: { test: 'val' } }, objectSelector: { matchLabels: { plain: 'yes' } } }),
    ]);
    const denied = await kubectl.run(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2', namespace: 'val', labels: { ticket: 'missing' } } }));
    assert.equal(denied.code, 1);
    assert.equal(denied.stderr.trim(), 'Error from server (Forbidden): error when creating "STDIN": admission webhook "deny.test.io" denied the request: configmaps here need a ticket');
    assert.equal((await server.request('GET', '/api/v1/namespaces/val/configmaps/c2')).status, 404);

    // The Status as the webhook gave it, the code at least 400, the message prefixed.
    const plain = await server.request('POST', '/api/v1/namespaces/val/configmaps', { metadata: { name: 'c3', labels: { plain: 'yes' } } });
    assert.equal(plain.status, 400);
    assert.deepEqual(plain.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'admission webhook "plain.test.io" denied the request: not today', code: 400 });
    assert.equal((await server.request('GET', '/api/v1/namespaces/val/configmaps/c3')).status, 404);

    // Objects the selectors do not match are not sent; adding the label later is refused.
    const ok = await server.request('POST', '/api/v1/namespaces/val/configmaps', { metadata: { name: 'c4' } });
    assert.equal(ok.status, 201, ok.text);
    const relabel = await kubectl.run(['label', 'configmap', 'c4', '-n', 'val', 'ticket=missing']);
    assert.equal(relabel.code, 1);
    assert.equal(relabel.stderr.trim(), 'Error from server (Forbidden): admission webhook "deny.test.io" denied the request: configmaps here need a ticket');
  });

  it('sends only requests in namespaces the namespaceSelector matches; a Namespace is matched by its own labels', async () => {
    await namespace(server, 'prod', { env: 'prod' });
    await namespace(server, 'dev', { env: 'dev' });
    await install(server, hooks, 'validating', 'prod-only', [
      webhook(hooks, 'prod.test.io', '/deny', {
        namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
        rules: [
          { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], scope: 'Namespaced' },
          { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'] },
        ],
      }),
    ]);
    const inProd = await server.request('POST', '/api/v1/namespaces/prod/configmaps', { metadata: { name: 'c' } });
    assert.equal(inProd.status, 403);
    assert.equal(inProd.json.message, 'admission webhook "prod.test.io" denied the request: configmaps here need a ticket');
    const inDev = await server.request('POST', '/api/v1/namespaces/dev/configmaps', { metadata: { name: 'c' } });
    assert.equal(inDev.status, 201, inDev.text);
    const prodNs = await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'prod2', labels: { env: 'prod' } } });
    assert.equal(prodNs.status, 403);
    // As upstream's create handler (since 1.24): a Namespace being created is its own request namespace, and one
    // whose name is still to be generated has none.
    const created = reviewsOn(hooks, '/deny').find((x) => x.request.resource.resource === 'namespaces' && x.request.name === 'prod2');
    assert.equal(created?.request.namespace, 'prod2');
    const generated = await server.request('POST', '/api/v1/namespaces', { metadata: { generateName: 'prod-', labels: { env: 'prod' } } });
    assert.equal(generated.status, 403);
    // (Validating webhooks see the generated name, as upstream's AdmissionToValidateObjectFunc gives it, but no namespace.)
    const unnamed = reviewsOn(hooks, '/deny').find((x) => x.request.resource.resource === 'namespaces' && x.request.name?.startsWith('prod-'));
    assert.ok(unnamed && !('namespace' in unnamed.request), JSON.stringify(unnamed?.request));
    const devNs = await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'dev2', labels: { env: 'dev' } } });
    assert.equal(devNs.status, 201, devNs.text);
  });

  it('sends only requests whose matchConditions hold (CEL over object, oldObject and request)', async () => {
    await namespace(server, 'cel', { test: 'cel' });
    await install(server, hooks, 'validating', 'conditions', [
      webhook(hooks, 'cel.test.io', '/deny', {
        namespaceSelector: { matchLabels: { test: 'cel' } },
        matchConditions: [
          { name: 'name-prefix', expression: "object.metadata.name.startsWith('locked-')" },
          { name: 'not-admin-group', expression: "!('system:nodes' in request.userInfo.groups)" },
        ],
      }),
      webhook(hooks, 'cel-error.test.io', '/deny', {
        namespaceSelector: { matchLabels: { test: 'cel' } },
        objectSelector: { matchLabels: { broken: 'yes' } },
        // The same failing expression twice: upstream's aggregate of the errors names it once.
        matchConditions: [{ name: 'missing-field', expression: "object.data.missing == 'x'" }, { name: 'missing-field-again', expression: "object.data.missing == 'x'" }],
      }),
      webhook(hooks, 'cel-ignore.test.io', '/deny', {
        namespaceSelector: { matchLabels: { test: 'cel' } },
        objectSelector: { matchLabels: { broken: 'ignored' } },
        failurePolicy: 'Ignore',
        matchConditions: [{ name: 'missing-field', expression: "object.data.missing == 'x'" }],
      }),
      webhook(hooks, 'cel-authz.test.io', '/deny', {
        namespaceSelector: { matchLabels: { test: 'cel' } },
        objectSelector: { matchLabels: { authz: 'yes' } },
        matchConditions: [{ name: 'can-read-secrets', expression: "authorizer.group('').resource('secrets').namespace('cel').check('get').allowed()" }],
      }),
    ]);
    // The authorizer decides for the requesting user (the admin may read secrets).
    const authz = await server.request('POST', '/api/v1/namespaces/cel/configmaps', { metadata: { name: 'a1', labels: { authz: 'yes' } } });
    assert.equal(authz.status, 403, authz.text);
    assert.equal(authz.json.message, 'admission webhook "cel-authz.test.io" denied the request: configmaps here need a ticket');
    const locked = await server.request('POST', '/api/v1/namespaces/cel/configmaps', { metadata: { name: 'locked-1' } });
    assert.equal(locked.status, 403);
    assert.equal(locked.json.message, 'admission webhook "cel.test.io" denied the request: configmaps here need a ticket');
    const open = await server.request('POST', '/api/v1/namespaces/cel/configmaps', { metadata: { name: 'open-1' } });
    assert.equal(open.status, 201, open.text);
    // An expression that fails: Forbidden under Fail, the webhook skipped under Ignore.
    const broken = await server.request('POST', '/api/v1/namespaces/cel/configmaps', { metadata: { name: 'b1', labels: { broken: 'yes' } }, data: { a: 'b' } });
    assert.equal(broken.status, 403);
    assert.equal(broken.json.reason, 'Forbidden');
    assert.equal(broken.json.message, `configmaps "b1" is forbidden: expression 'object.data.missing == 'x'' resulted in error: no such key: missing`);
    const ignored = await server.request('POST', '/api/v1/namespaces/cel/configmaps', { metadata: { name: 'b2', labels: { broken: 'ignored' } }, data: { a: 'b' } });
    assert.equal(ignored.status, 201, ignored.text);
  });

  it('refuses webhooks with side effects through v1, and tells side-effect-free ones it is a dry run', async () => {
    await namespace(server, 'dry', { test: 'dry' });
    // admissionregistration.k8s.io/v1 accepts only side-effect-free webhooks (upstream's requireNoSideEffects), so
    // a webhook that would make the server refuse dry runs cannot be created through it.
    const unknown = await server.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      metadata: { name: 'dry-run-unknown' },
      webhooks: [webhook(hooks, 'unknown.test.io', '/allow-unknown', { sideEffects: 'Unknown' })],
    });
    assert.equal(unknown.status, 422, unknown.text);
    assert.equal(unknown.json.message, 'ValidatingWebhookConfiguration.admissionregistration.k8s.io "dry-run-unknown" is invalid: webhooks[0].sideEffects: Unsupported value: "Unknown": supported values: "None", "NoneOnDryRun"');
    await install(server, hooks, 'validating', 'dry-run', [
      webhook(hooks, 'none.test.io', '/allow-none', { namespaceSelector: { matchLabels: { test: 'dry' } }, objectSelector: { matchLabels: { effects: 'none' } } }),
    ]);
    const cm = (name: string, effects: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'dry', labels: { effects } } });
    const dry = await kubectl.run(['create', '--dry-run=server', '-f', '-'], cm('d2', 'none'));
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(dry.stdout.trim(), 'configmap/d2 created (server dry run)');
    const [review] = reviewsOn(hooks, '/allow-none');
    assert.equal(review.request.dryRun, true);
    assert.deepEqual(review.request.options.dryRun, ['All']);
    assert.equal((await server.request('GET', '/api/v1/namespaces/dry/configmaps/d2')).status, 404);
  });

  it("passes webhooks' warnings to kubectl", async () => {
    await namespace(server, 'warn', { test: 'warn' });
    await install(server, hooks, 'validating', 'warner', [webhook(hooks, 'warn.test.io', '/warn', { namespaceSelector: { matchLabels: { test: 'warn' } } })]);
    const created = await kubectl.run(['create', 'configmap', 'w1', '-n', 'warn', '--from-literal=a=b']);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stderr.trim(), 'Warning: this ConfigMap will be audited');
    const raw = await server.request('POST', '/api/v1/namespaces/warn/configmaps', { metadata: { name: 'w2' } });
    assert.equal(raw.headers.warning, '299 - "this ConfigMap will be audited"');
  });

  it('calls a reinvocationPolicy IfNeeded webhook again when a later webhook changed the object', async () => {
    await namespace(server, 'again', { test: 'again' });
    await install(server, hooks, 'mutating', 'reinvoke', [
      webhook(hooks, 'first.test.io', '/reinvoked', { namespaceSelector: { matchLabels: { test: 'again' } }, reinvocationPolicy: 'IfNeeded' }),
      webhook(hooks, 'never.test.io', '/never-again', { namespaceSelector: { matchLabels: { test: 'again' } } }),
      webhook(hooks, 'second.test.io', '/add-second', { namespaceSelector: { matchLabels: { test: 'again' } } }),
    ]);
    const r = await server.request('POST', '/api/v1/namespaces/again/configmaps', { metadata: { name: 'r1', labels: { a: 'b' } } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.metadata.labels.second, 'x');
    const first = reviewsOn(hooks, '/reinvoked').filter((x) => x.request.name === 'r1');
    assert.equal(first.length, 2);
    assert.equal(first[1].request.object.metadata.labels.second, 'x');
    assert.equal(reviewsOn(hooks, '/never-again').filter((x) => x.request.name === 'r1').length, 1);
    assert.equal(reviewsOn(hooks, '/add-second').filter((x) => x.request.name === 'r1').length, 1);
  });

  it('reaches a webhook through its Service (the Endpoints address, the certificate checked for <name>.<namespace>.svc)', async () => {
    await namespace(server, 'hooks');
    const svc = await server.request('POST', '/api/v1/namespaces/hooks/services', { metadata: { name: 'hook-svc' }, spec: { ports: [{ name: 'https', port: 443, targetPort: hooks.port }] } });
    assert.equal(svc.status, 201, svc.text);
    const ep = await server.request('POST', '/api/v1/namespaces/hooks/endpoints', {
      metadata: { name: 'hook-svc' },
      subsets: [{ addresses: [{ ip: hostAddress() }], ports: [{ name: 'https', port: hooks.port }] }],
    });
    assert.equal(ep.status, 201, ep.text);
    await namespace(server, 'via-svc', { test: 'via-svc' });
    await install(server, hooks, 'mutating', 'by-service', [
      {
        ...webhook(hooks, 'svc.test.io', '', { namespaceSelector: { matchLabels: { test: 'via-svc' } } }),
        clientConfig: { service: { namespace: 'hooks', name: 'hook-svc', path: '/add-label' }, caBundle: hooks.caBundle },
      },
    ]);
    const r = await server.request('POST', '/api/v1/namespaces/via-svc/configmaps', { metadata: { name: 's1' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.metadata.labels.mutated, 'yes');

    // A Service without endpoints: the call fails (Fail refuses with 500).
    await namespace(server, 'no-endpoints', { test: 'no-endpoints' });
    await install(server, hooks, 'validating', 'no-endpoints', [
      {
        ...webhook(hooks, 'gone.test.io', '', { namespaceSelector: { matchLabels: { test: 'no-endpoints' } } }),
        clientConfig: { service: { namespace: 'hooks', name: 'missing', path: '/allow' }, caBundle: hooks.caBundle },
      },
    ]);
    const refused = await server.request('POST', '/api/v1/namespaces/no-endpoints/configmaps', { metadata: { name: 's2' } });
    assert.equal(refused.status, 500);
    assert.equal(refused.json.message, 'Internal error occurred: failed calling webhook "gone.test.io": failed to call webhook: Post "https://missing.hooks.svc:443/allow?timeout=10s": service "missing" not found');
  });

  it('sends a webhook whose Service is default/kubernetes (port 443) to this server over loopback, as the server itself', async () => {
    // The kubernetes Endpoints name the host's address, where this loopback-bound server does not listen; the call
    // must reach the server itself. It carries the loopback credentials (upstream's webhook client takes the
    // loopback client's configuration for this Service): system:apiserver may post anywhere, so the answer is the
    // server's 404 for a path it does not serve, not the 403 an anonymous call gets.
    await namespace(server, 'to-self', { test: 'to-self' });
    const caBundle = readFileSync(join(server.dataDir, 'pki', 'ca.crt')).toString('base64');
    await install(server, hooks, 'validating', 'to-self', [
      {
        ...webhook(hooks, 'self.test.io', '', { namespaceSelector: { matchLabels: { test: 'to-self' } } }),
        clientConfig: { service: { namespace: 'default', name: 'kubernetes', path: '/not-a-webhook' }, caBundle },
      },
    ]);
    const r = await server.request('POST', '/api/v1/namespaces/to-self/configmaps', { metadata: { name: 'k1' } });
    assert.equal(r.status, 500, r.text);
    assert.equal(r.json.message, 'Internal error occurred: failed calling webhook "self.test.io": failed to call webhook: the server could not find the requested resource');

    // The loopback client trusts the server's own loopback certificate, whatever the caBundle says (upstream adds
    // the caBundle to the loopback CA): without one, or with one of an unrelated CA, the call gets through alike.
    await namespace(server, 'to-self-2', { test: 'to-self-2' });
    await install(server, hooks, 'validating', 'to-self-2', [
      {
        ...webhook(hooks, 'self-2.test.io', '', { namespaceSelector: { matchLabels: { test: 'to-self-2' } } }),
        clientConfig: { service: { namespace: 'default', name: 'kubernetes', path: '/not-a-webhook' }, caBundle: hooks.caBundle },
      },
    ]);
    const unrelated = await server.request('POST', '/api/v1/namespaces/to-self-2/configmaps', { metadata: { name: 'k2' } });
    assert.equal(unrelated.json.message, 'Internal error occurred: failed calling webhook "self-2.test.io": failed to call webhook: the server could not find the requested resource');
  });

  it('with matchPolicy Equivalent, sends a request through another version converted to the version its rule names', async () => {
    await namespace(server, 'equiv', { test: 'equiv' });
    const v1Rule = { operations: ['CREATE'], apiGroups: ['autoscaling'], apiVersions: ['v1'], resources: ['horizontalpodautoscalers'] };
    await install(server, hooks, 'validating', 'equivalent', [
      webhook(hooks, 'equivalent.test.io', '/hpa-equivalent', { namespaceSelector: { matchLabels: { test: 'equiv' } }, rules: [v1Rule] }),
      webhook(hooks, 'exact.test.io', '/hpa-exact', { namespaceSelector: { matchLabels: { test: 'equiv' } }, rules: [v1Rule], matchPolicy: 'Exact' }),
    ]);
    // A patch made in v1 reaches the v2 object that is stored.
    await install(server, hooks, 'mutating', 'equivalent-patch', [webhook(hooks, 'label-v1.test.io', '/add-label', { namespaceSelector: { matchLabels: { test: 'equiv' } }, rules: [v1Rule] })]);
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h1' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    };
    const r = await server.request('POST', '/apis/autoscaling/v2/namespaces/equiv/horizontalpodautoscalers', hpa);
    assert.equal(r.status, 201, r.text);
    const [review] = reviewsOn(hooks, '/hpa-equivalent');
    assert.deepEqual(review.request.kind, { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' });
    assert.deepEqual(review.request.resource, { group: 'autoscaling', version: 'v1', resource: 'horizontalpodautoscalers' });
    assert.deepEqual(review.request.requestKind, { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' });
    assert.equal(review.request.object.apiVersion, 'autoscaling/v1');
    assert.equal(review.request.object.spec.targetCPUUtilizationPercentage, 50);
    assert.equal(reviewsOn(hooks, '/hpa-exact').length, 0);
    assert.equal(r.json.apiVersion, 'autoscaling/v2');
    assert.equal(r.json.metadata.labels.mutated, 'yes');
    assert.equal(r.json.spec.metrics[0].resource.target.averageUtilization, 50);
    const patched = reviewsOn(hooks, '/add-label').find((x) => x.request.name === 'h1');
    assert.equal(patched.request.object.apiVersion, 'autoscaling/v1');
  });

  it('sends deletes with the old object and DeleteOptions; a refused delete leaves the object, a patch on delete is refused', async () => {
    await namespace(server, 'del', { test: 'del' });
    const deleteRule = { operations: ['DELETE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] };
    await install(server, hooks, 'validating', 'protect', [
      webhook(hooks, 'protect.test.io', '/deny', { namespaceSelector: { matchLabels: { test: 'del' } }, objectSelector: { matchLabels: { protected: 'yes' } }, rules: [deleteRule] }),
    ]);
    await install(server, hooks, 'mutating', 'patch-on-delete', [
      webhook(hooks, 'patch-delete.test.io', '/add-label', { namespaceSelector: { matchLabels: { test: 'del' } }, objectSelector: { matchLabels: { patch: 'yes' } }, rules: [deleteRule] }),
    ]);
    for (const [name, labels] of [['p1', { protected: 'yes' }], ['p2', { patch: 'yes' }]] as const) {
      const r = await server.request('POST', '/api/v1/namespaces/del/configmaps', { metadata: { name, labels } });
      assert.equal(r.status, 201, r.text);
    }
    const refused = await kubectl.run(['delete', 'configmap', 'p1', '-n', 'del']);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trim(), 'Error from server (Forbidden): admission webhook "protect.test.io" denied the request: configmaps here need a ticket');
    assert.equal((await server.request('GET', '/api/v1/namespaces/del/configmaps/p1')).status, 200);
    const [review] = reviewsOn(hooks, '/deny').filter((x) => x.request.operation === 'DELETE');
    assert.equal(review.request.object, null);
    assert.equal(review.request.oldObject.metadata.name, 'p1');
    assert.equal(review.request.options.kind, 'DeleteOptions');

    const patched = await server.request('DELETE', '/api/v1/namespaces/del/configmaps/p2');
    assert.equal(patched.status, 500);
    assert.equal(patched.json.message, 'Internal error occurred: admission webhook "patch-delete.test.io" attempted to modify the object, which is not supported for this operation');
    assert.equal((await server.request('GET', '/api/v1/namespaces/del/configmaps/p2')).status, 200);
  });

  it('never sends webhook configurations to webhooks, so a webhook that refuses everything can be removed', async () => {
    const everything = { operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'] };
    await install(server, hooks, 'validating', 'lockout', [
      webhook(hooks, 'lockout.test.io', '/deny', { rules: [everything], objectSelector: { matchLabels: { lockout: 'yes' } } }),
    ]);
    const role = await server.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { metadata: { name: 'locked', labels: { lockout: 'yes' } } });
    assert.equal(role.status, 403);
    const config = await server.request('POST', `${group}/validatingwebhookconfigurations`, { metadata: { name: 'exempt', labels: { lockout: 'yes' } } });
    assert.equal(config.status, 201, config.text);
    const removed = await server.request('DELETE', `${group}/validatingwebhookconfigurations/lockout`);
    assert.equal(removed.status, 200, removed.text);
    // The removal reaches the server's webhooks through its watch: the ClusterRole is then admitted.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const retry = await server.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { metadata: { name: 'locked', labels: { lockout: 'yes' } } });
      if (retry.status === 201) break;
      assert.equal(retry.status, 403, retry.text);
      assert.ok(Date.now() < deadline, 'the deleted configuration still refuses requests');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
