/**
 * The API groups of the security chain are served: authentication.k8s.io and authorization.k8s.io as create-only
 * reviews without storage, serviceaccounts/token as a subresource taking an authentication.k8s.io/v1 TokenRequest,
 * and admissionregistration.k8s.io as stored kinds with upstream's defaults and printer columns.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('security API groups', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server.stop();
  });

  it('kubectl api-resources lists the reviews as create-only and the admission kinds', async () => {
    const res = await kubectl.run(['api-resources', '-o', 'wide', '--no-headers']);
    assert.equal(res.code, 0, res.stderr);
    const rows = new Map(res.stdout.trim().split('\n').map((l) => { const f = l.trim().split(/\s+/); return [f[0], f]; }));
    for (const name of ['tokenreviews', 'selfsubjectreviews', 'subjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'localsubjectaccessreviews']) {
      assert.ok(rows.has(name), `${name} missing from:\n${res.stdout}`);
      assert.equal(rows.get(name)!.at(-1), 'create', `${name} verbs`);
    }
    assert.equal(rows.get('localsubjectaccessreviews')![2], 'true', 'localsubjectaccessreviews is namespaced');
    for (const name of ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings']) {
      assert.ok(rows.has(name), `${name} missing`);
    }
  });

  it('serviceaccounts/token is a create-only subresource whose kind is authentication.k8s.io/v1 TokenRequest', async () => {
    const legacy = (await server.request('GET', '/api/v1')).json;
    const token = legacy.resources.find((r: { name: string }) => r.name === 'serviceaccounts/token');
    assert.deepEqual(token, { name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
    assert.equal(legacy.resources.some((r: { kind: string; name: string }) => r.kind === 'TokenRequest' && r.name !== 'serviceaccounts/token'), false);

    const aggregated = (await server.request('GET', '/api', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' })).json;
    const sa = aggregated.items[0].versions[0].resources.find((r: { resource: string }) => r.resource === 'serviceaccounts');
    assert.deepEqual(sa.subresources, [{ subresource: 'token', responseKind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] }]);

    const authn = (await server.request('GET', '/apis/authentication.k8s.io/v1')).json;
    assert.deepEqual(authn.resources.map((r: { name: string }) => r.name), ['selfsubjectreviews', 'tokenreviews']);
  });

  it('reviews are not stored: reading them is refused', async () => {
    const res = await server.request('GET', '/apis/authorization.k8s.io/v1/subjectaccessreviews');
    assert.ok(res.status === 404 || res.status === 405, `status ${res.status}: ${res.text}`);
    assert.equal(res.json.kind, 'Status');
  });

  it('a ValidatingWebhookConfiguration is stored with upstream defaults and printed with its webhook count', async () => {
    const config = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'policy.example.com' },
      webhooks: [
        {
          name: 'deny.example.com',
          clientConfig: { url: 'https://127.0.0.1:1/validate', caBundle: Buffer.from('not a CA').toString('base64') },
          rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          failurePolicy: 'Ignore',
        },
      ],
    };
    const created = await server.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', config);
    assert.equal(created.status, 201, created.text);
    const hook = created.json.webhooks[0];
    assert.equal(hook.failurePolicy, 'Ignore');
    assert.equal(hook.matchPolicy, 'Equivalent');
    assert.equal(hook.timeoutSeconds, 10);
    assert.deepEqual(hook.namespaceSelector, {});
    assert.deepEqual(hook.objectSelector, {});
    assert.equal(hook.rules[0].scope, '*');
    assert.deepEqual(hook.rules[0].operations, ['CREATE']);

    const res = await kubectl.run(['get', 'validatingwebhookconfigurations']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^NAME\s+WEBHOOKS\s+AGE\n/);
    assert.match(res.stdout, /policy\.example\.com\s+1\s+/);

    // Go's embedded Rule travels as a message of its own in protobuf; JSON keeps its fields inline.
    const proto = await server.request('GET', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/policy.example.com', undefined, { Accept: 'application/vnd.kubernetes.protobuf' });
    assert.equal(proto.status, 200);
    assert.equal(proto.headers['content-type'], 'application/vnd.kubernetes.protobuf');
  });
});
