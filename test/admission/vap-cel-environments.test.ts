/**
 * ValidatingAdmissionPolicy with kube-apiserver v1.32's two CEL environments: an expression written now compiles
 * with the libraries of the compatibility version (1.31), so a two-variable comprehension (in 1.32) is refused; one
 * the stored policy already has (written by a newer server, here put into the store) is enforced with every library
 * of 1.32 and keeps compiling when the policy is updated without changing it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { restartWithStoredBytes } from '../support/stored-bytes.ts';

const storedExpression = 'object.data.all(k, v, v.size() <= 3)';
// What the API accepts today, of the stored expression's length (the store is rewritten byte for byte).
const placeholder = "object.data.all(k, k != '')".padEnd(storedExpression.length, ' ');

const policies = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const policy = (validations: Array<{ expression: string; message?: string }>) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name: 'short-values.example.com' },
  spec: {
    failurePolicy: 'Fail',
    matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'] }] },
    validations,
  },
});
const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

/** Policies reach the plug-in through the watch cache: retry until the expected outcome shows (bounded). */
async function eventually<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 10000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ValidatingAdmissionPolicy: new and stored CEL environments', () => {
  let dataDir: string;
  let server: TestServer;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-vap-envs-'));
    server = await startServer({ dataDir });
    const created = await server.request('POST', policies, policy([{ expression: placeholder, message: 'values are at most 3 long' }]));
    assert.equal(created.status, 201, created.text);
    const bound = await server.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', {
      metadata: { name: 'short-values' },
      spec: { policyName: 'short-values.example.com', validationActions: ['Deny'] },
    });
    assert.equal(bound.status, 201, bound.text);
    server = await restartWithStoredBytes(server, [['/registry/validatingadmissionpolicies/short-values.example.com', placeholder, storedExpression]]);
  });
  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('enforces the stored two-variable expression', async () => {
    const cms = '/api/v1/namespaces/default/configmaps';
    const denied = await eventually(() => server.request('POST', cms, configMap('long', { a: 'abcd' })), (r) => r.status !== 201);
    assert.equal(denied.status, 422, denied.text);
    assert.match(denied.json.message, /ValidatingAdmissionPolicy 'short-values.example.com' with binding 'short-values' denied request: values are at most 3 long$/);
    const allowed = await server.request('POST', cms, configMap('short', { a: 'abc' }));
    assert.equal(allowed.status, 201, allowed.text);
  });

  it('keeps compiling the unchanged stored expression when the policy is updated', async () => {
    const current = await server.request('GET', `${policies}/short-values.example.com`);
    const r = await server.request('PUT', `${policies}/short-values.example.com`, { ...current.json, metadata: { ...current.json.metadata, labels: { touched: 'yes' } } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.spec.validations[0].expression, storedExpression);
  });

  it("refuses a new two-variable expression with cel-go's message", async () => {
    const current = await server.request('GET', `${policies}/short-values.example.com`);
    current.json.spec.validations.push({ expression: 'object.data.exists(k, v, v == "")' });
    const r = await server.request('PUT', `${policies}/short-values.example.com`, current.json);
    assert.equal(r.status, 422, r.text);
    const causes = r.json.details.causes as Array<{ field: string; message: string }>;
    assert.deepEqual(causes.map((c) => c.field), ['spec.validations[1].expression'], r.text);
    assert.equal(
      causes[0].message.split('\n')[0],
      `Invalid value: "object.data.exists(k, v, v == \\"\\")": compilation failed: ERROR: <input>:1:19: undeclared reference to 'exists' (in container '')`,
    );
  });
});
