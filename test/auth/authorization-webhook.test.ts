/**
 * --authorization-mode Webhook against a real HTTPS service started by the test: SubjectAccessReviews arrive as
 * upstream sends them; allowed, denied, no opinion, 500, a timeout, garbage and an unreachable service each end
 * as upstream's webhook authorizer ends them; answers are cached for their TTLs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { freePort, startServer, type TestServer } from '../support/server.ts';
import { testUser } from '../support/users.ts';
import { eventually } from '../support/kubectl.ts';

function selfSignedServing(): { certPem: string; keyPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '0a1b';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const subject = [{ shortName: 'CN', value: 'authz-webhook' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([{ name: 'basicConstraints', cA: true }, { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
  cert.sign(key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey };
}

function webhookKubeconfig(dir: string, url: string, caPem: string): string {
  const path = join(dir, `webhook-${Math.random().toString(36).slice(2)}.kubeconfig`);
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters:
- name: authz
  cluster:
    server: ${url}
    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}
users:
- name: apiserver
  user: {}
contexts:
- name: webhook
  context: {cluster: authz, user: apiserver}
current-context: webhook
`,
  );
  return path;
}

describe('Webhook authorization', () => {
  const reviews: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  let webhook: Server;
  let server: TestServer;
  let tls: { certPem: string; keyPem: string };
  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-authz-webhook-'));

  before(async () => {
    tls = selfSignedServing();
    webhook = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const review = JSON.parse(body);
        reviews.push(review);
        const user: string = review.spec.user;
        const answer = (status: object) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ...review, status }));
        if (user === 'allowed') return answer({ allowed: true, reason: 'the webhook says yes' });
        if (user === 'denied') return answer({ allowed: false, denied: true, reason: 'the webhook says no' });
        if (user === 'unsure') return answer({ allowed: false, reason: 'the webhook does not know' });
        if (user === 'broken') return res.writeHead(500).end('oops');
        if (user === 'garbage') return res.writeHead(200, { 'Content-Type': 'application/json' }).end('<html>not json');
        if (user === 'slow') return; // never answers
        if (user === 'node-n1-only') {
          // May do anything but list pods off node n1: only a field selector pinning spec.nodeName to n1 lists pods.
          const ra = review.spec.resourceAttributes;
          if (ra?.resource !== 'pods' || ra.verb !== 'list') return answer({ allowed: true });
          const pinned = ra.fieldSelector?.requirements?.some((r: any) => r.key === 'spec.nodeName' && r.operator === 'In' && r.values?.[0] === 'n1'); // eslint-disable-line @typescript-eslint/no-explicit-any
          return answer(pinned ? { allowed: true } : { allowed: false, reason: 'only pods of node n1' });
        }
        answer({ allowed: false });
      });
    });
    const port = await freePort();
    await new Promise<void>((r) => webhook.listen(port, '127.0.0.1', r));
    const config = webhookKubeconfig(dir, `https://127.0.0.1:${port}/authorize`, tls.certPem);
    server = await startServer({ args: ['--authorization-mode', 'Webhook,RBAC', '--authorization-webhook-config-file', config, '--authorization-webhook-timeout', '1s'] });
  });
  after(async () => {
    await server?.stop();
    webhook?.closeAllConnections();
    webhook?.close();
  });

  test('the SubjectAccessReview sent is upstream\'s v1 shape', async () => {
    const allowed = testUser(server, 'allowed', ['team']);
    const res = await allowed.request('GET', '/apis/apps/v1/namespaces/ns1/deployments/web/scale');
    assert.equal(res.status, 404, res.text);
    const sent = reviews.find((r) => r.spec.user === 'allowed' && r.spec.resourceAttributes?.name === 'web');
    assert.equal(sent.apiVersion, 'authorization.k8s.io/v1');
    assert.equal(sent.kind, 'SubjectAccessReview');
    assert.deepEqual(sent.spec, {
      user: 'allowed',
      groups: ['team', 'system:authenticated'],
      resourceAttributes: { namespace: 'ns1', verb: 'get', group: 'apps', version: 'v1', resource: 'deployments', subresource: 'scale', name: 'web' },
    });
    await allowed.request('GET', '/healthz/ping');
    const nonResource = reviews.find((r) => r.spec.user === 'allowed' && r.spec.nonResourceAttributes);
    assert.deepEqual(nonResource.spec.nonResourceAttributes, { path: '/healthz/ping', verb: 'get' });
  });

  test('a list, watch or deletecollection sends its field and label selectors as requirements', async () => {
    const allowed = testUser(server, 'allowed');
    const query = new URLSearchParams({ fieldSelector: 'spec.nodeName=n2,status.phase!=Failed', labelSelector: 'app in (api,web),!canary' });
    assert.equal((await allowed.request('GET', `/api/v1/namespaces/selectors/pods?${query}`)).status, 200);
    assert.equal((await allowed.request('DELETE', `/api/v1/namespaces/selectors/pods?${query}`)).status, 200);
    for (const verb of ['list', 'deletecollection']) {
      const sent = reviews.find((r) => r.spec.user === 'allowed' && r.spec.resourceAttributes?.namespace === 'selectors' && r.spec.resourceAttributes.verb === verb);
      assert.deepEqual(sent?.spec.resourceAttributes, {
        namespace: 'selectors',
        verb,
        version: 'v1',
        resource: 'pods',
        fieldSelector: { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n2'] }, { key: 'status.phase', operator: 'NotIn', values: ['Failed'] }] },
        labelSelector: { requirements: [{ key: 'app', operator: 'In', values: ['api', 'web'] }, { key: 'canary', operator: 'DoesNotExist' }] },
      }, verb);
    }
  });

  test('label values reach the webhook sorted and de-duplicated, as labels.Parse leaves them; a /watch/ path sends no selectors', async () => {
    const allowed = testUser(server, 'allowed');
    const query = new URLSearchParams({ fieldSelector: 'status.phase!=Failed', labelSelector: 'tier notin (web,api,web),app in (b,a)' });
    assert.equal((await allowed.request('GET', `/api/v1/namespaces/sorted/pods?${query}`)).status, 200);
    const sent = reviews.find((r) => r.spec.user === 'allowed' && r.spec.resourceAttributes?.namespace === 'sorted');
    assert.deepEqual(sent?.spec.resourceAttributes.labelSelector, {
      requirements: [{ key: 'app', operator: 'In', values: ['a', 'b'] }, { key: 'tier', operator: 'NotIn', values: ['api', 'web'] }],
    });
    // The deprecated watch paths do not honour selectors consistently, so upstream passes none to authorizers.
    assert.equal((await allowed.request('GET', `/api/v1/watch/namespaces/old-watch/pods?${query}&timeoutSeconds=1`)).status, 200);
    const watched = reviews.find((r) => r.spec.user === 'allowed' && r.spec.resourceAttributes?.namespace === 'old-watch');
    assert.deepEqual(watched?.spec.resourceAttributes, { namespace: 'old-watch', verb: 'watch', version: 'v1', resource: 'pods' });
  });

  test('a SubjectAccessReview\'s field and label selectors reach the webhook; one that does not parse limits nothing', async () => {
    const ask = async (namespace: string, fieldSelector: object, labelSelector: object) => {
      const sar = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'allowed', resourceAttributes: { namespace, verb: 'list', resource: 'pods', fieldSelector, labelSelector } } };
      const res = await server.request('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', sar);
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.status.allowed, true);
      const sent = reviews.find((r) => r.spec.user === 'allowed' && r.spec.resourceAttributes?.namespace === namespace)?.spec.resourceAttributes;
      return { sent, evaluationError: res.json.status.evaluationError };
    };
    const parsed = await ask('sar-selectors', { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n3'] }] }, { rawSelector: 'app=web' });
    assert.deepEqual(parsed.sent?.fieldSelector, { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n3'] }] });
    assert.deepEqual(parsed.sent?.labelSelector, { requirements: [{ key: 'app', operator: 'In', values: ['web'] }] });
    assert.equal(parsed.evaluationError, undefined);
    // The review's status says which selector was left out (upstream's BuildEvaluationError).
    const unparsed = await ask('sar-bad-selectors', { rawSelector: 'spec.nodeName' }, { requirements: [{ key: 'app', operator: 'Exists' }] });
    assert.equal(unparsed.sent?.fieldSelector, undefined);
    assert.deepEqual(unparsed.sent?.labelSelector, { requirements: [{ key: 'app', operator: 'Exists' }] });
    assert.equal(unparsed.evaluationError, 'spec.resourceAttributes.fieldSelector ignored due to parse error');
    // Requirements are read one by one, in their order and with their values as given: one that is not valid (an
    // operator validation lets through) is dropped alone.
    const partly = await ask('sar-partly', { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n4'] }] }, {
      requirements: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }, { key: 'app', operator: 'Gt', values: ['1'] }],
    });
    assert.deepEqual(partly.sent?.labelSelector, { requirements: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] });
    assert.equal(partly.evaluationError, 'spec.resourceAttributes.labelSelector partially ignored due to parse error');
  });

  test('allowed, denied and no opinion decide as the webhook says; no opinion falls through to RBAC', async () => {
    assert.equal((await testUser(server, 'allowed').request('GET', '/api/v1/secrets')).status, 200);
    const denied = await testUser(server, 'denied').request('GET', '/version');
    assert.equal(denied.status, 403, 'denied even where RBAC would allow');
    assert.equal(denied.json.message, 'forbidden: User "denied" cannot get path "/version": the webhook says no');
    const unsure = testUser(server, 'unsure');
    assert.equal((await unsure.request('GET', '/version')).status, 200, 'RBAC allows /version');
    const res = await unsure.request('GET', '/api/v1/secrets');
    assert.equal(res.status, 403);
    assert.equal(res.json.message, 'secrets is forbidden: User "unsure" cannot list resource "secrets" in API group "" at the cluster scope: the webhook does not know');
  });

  test('answers are cached: allowed and not-allowed alike', async () => {
    const count = (user: string, path: string) => reviews.filter((r) => r.spec.user === user && r.spec.resourceAttributes?.resource === path).length;
    const allowed = testUser(server, 'allowed');
    for (let i = 0; i < 3; i++) await allowed.request('GET', '/api/v1/namespaces/default/configmaps');
    assert.equal(count('allowed', 'configmaps'), 1);
    const unsure = testUser(server, 'unsure');
    for (let i = 0; i < 3; i++) await unsure.request('GET', '/api/v1/namespaces/default/configmaps');
    assert.equal(count('unsure', 'configmaps'), 1);
  });

  test('a failing webhook is no opinion with an error: RBAC may still allow, otherwise 500', async () => {
    for (const user of ['broken', 'garbage', 'slow']) {
      const u = testUser(server, user);
      const started = Date.now();
      assert.equal((await u.request('GET', '/version')).status, 200, `${user}: RBAC allows /version`);
      const res = await u.request('GET', '/api/v1/namespaces/default/pods');
      assert.equal(res.status, 500, `${user}: ${res.text}`);
      assert.equal(res.json.reason, 'InternalError');
      assert.match(res.json.message, /^Internal error occurred: error contacting webhook: /);
      assert.ok(Date.now() - started < 30_000);
    }
    // 5xx is retried with backoff; garbage is not.
    assert.ok(reviews.filter((r) => r.spec.user === 'broken' && r.spec.resourceAttributes?.resource === 'pods').length >= 3);
    assert.equal(reviews.filter((r) => r.spec.user === 'garbage' && r.spec.resourceAttributes?.resource === 'pods').length, 1);
  });

  test('a policy\'s authorizer check sends its fieldSelector and labelSelector; one that does not parse limits nothing', async () => {
    const policy = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'node-pods.example.com' },
      spec: {
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }], objectSelector: { matchLabels: { 'authz-selectors': 'yes' } } },
        validations: [
          { expression: "authorizer.group('').resource('pods').fieldSelector('spec.nodeName=n1').check('list').allowed()", message: 'may not list the pods of n1' },
          // messageExpression has no authorizer (as upstream), so the decision's parts are checked one by one.
          { expression: "!authorizer.group('').resource('pods').namespace('default').fieldSelector(object.data.fields).labelSelector(object.data.labels).check('list').errored()", message: 'the check errored' },
          { expression: "authorizer.group('').resource('pods').namespace('default').fieldSelector(object.data.fields).labelSelector(object.data.labels).check('list').allowed()", message: 'may not list the pods selected' },
        ],
      },
    };
    const created = await server.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies', policy);
    assert.equal(created.status, 201, created.text);
    const binding = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'node-pods' }, spec: { policyName: 'node-pods.example.com', validationActions: ['Deny'] } };
    assert.equal((await server.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', binding)).status, 201);
    const user = testUser(server, 'node-n1-only');
    const configMap = (name: string, fields: string, labels: string) => ({ metadata: { name, labels: { 'authz-selectors': 'yes' } }, data: { fields, labels } });
    const sentFor = (fields: string) => reviews.find((r) => r.spec.user === 'node-n1-only' && r.spec.resourceAttributes?.namespace === 'default' && JSON.stringify(r.spec.resourceAttributes.fieldSelector ?? null) === fields);

    // Both checks pin n1, so the webhook allows both (retried until the policy is in force: a create it refuses
    // for a compile error would be one too).
    let attempt = 0;
    let res: Awaited<ReturnType<typeof user.request>> | undefined;
    await eventually(async () => (res = await user.request('POST', '/api/v1/namespaces/default/configmaps', configMap(`pinned-${attempt++}`, 'spec.nodeName=n1', 'app=web,tier notin (db),!legacy'))).status === 201, 'the policy to allow the pinned list');
    assert.equal(res!.status, 201, res!.text);
    assert.deepEqual(sentFor(JSON.stringify({ requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }] })).spec.resourceAttributes, {
      namespace: 'default',
      verb: 'list',
      version: '*',
      resource: 'pods',
      fieldSelector: { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }] },
      labelSelector: {
        requirements: [
          { key: 'app', operator: 'In', values: ['web'] },
          { key: 'legacy', operator: 'DoesNotExist' },
          { key: 'tier', operator: 'NotIn', values: ['db'] },
        ],
      },
    });

    // A field selector that does not parse limits nothing: the webhook is asked about every pod and says no.
    const bad = await user.request('POST', '/api/v1/namespaces/default/configmaps', configMap('unpinned', 'spec.nodeName', 'app in (web'));
    assert.equal(bad.status, 422, bad.text);
    assert.equal(bad.json.message, `configmaps "unpinned" is forbidden: ValidatingAdmissionPolicy 'node-pods.example.com' with binding 'node-pods' denied request: may not list the pods selected`);
    const unlimited = sentFor('null');
    assert.ok(unlimited, 'a review without a field selector was sent');
    assert.equal(unlimited.spec.resourceAttributes.labelSelector, undefined, 'nor a label selector that does not parse');
    await server.request('DELETE', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/node-pods');
  });

  test('an unreachable webhook is an error too', async (t) => {
    const port = await freePort();
    const config = webhookKubeconfig(dir, `https://127.0.0.1:${port}/`, tls.certPem);
    const other = await startServer({ args: ['--authorization-mode', 'Webhook', '--authorization-webhook-config-file', config], t });
    const res = await testUser(other, 'anyone').request('GET', '/api/v1/namespaces');
    assert.equal(res.status, 500);
    assert.match(res.json.message, /error contacting webhook: .*ECONNREFUSED/);
    assert.equal((await other.request('GET', '/api/v1/namespaces')).status, 200, 'system:masters never asks');
  });
});
