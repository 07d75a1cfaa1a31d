/** ValidatingAdmissionPolicy's Audit action and auditAnnotations, seen in the real server's audit log. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'kube-ts-vap-audit-'));
const policyPath = join(dir, 'audit-policy.yaml');
const logPath = join(dir, 'audit.log');
writeFileSync(policyPath, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n');

describe('ValidatingAdmissionPolicy audit', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ['--audit-policy-file', policyPath, '--audit-log-path', logPath] });
  });
  after(async () => {
    await server.stop();
  });

  it('records validation failures of Audit bindings and the policy auditAnnotations', async () => {
    const policy = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'audited.example.com' },
      spec: {
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
        validations: [{ expression: "!has(object.data) || !('password' in object.data)", message: 'no passwords in configmaps' }],
        auditAnnotations: [{ key: 'keys', valueExpression: "has(object.data) ? string(size(object.data)) + ' keys' : null" }],
      },
    };
    assert.equal((await server.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies', policy)).status, 201);
    const binding = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'audited' }, spec: { policyName: 'audited.example.com', validationActions: ['Audit'] } };
    assert.equal((await server.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', binding)).status, 201);

    let annotations: Record<string, string> | undefined;
    const end = Date.now() + 8000;
    for (let i = 0; !annotations && Date.now() < end; i++) {
      const name = `secret-ish-${i}`;
      const r = await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name }, data: { password: 'x', user: 'y' } });
      assert.equal(r.status, 201, r.text); // Audit never refuses
      await new Promise((res) => setTimeout(res, 300));
      const events = readFileSync(logPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const ev = events.find((e) => e.stage === 'ResponseComplete' && e.verb === 'create' && e.objectRef?.name === name && e.annotations?.['validation.policy.admission.k8s.io/validation_failure']);
      annotations = ev?.annotations;
    }
    assert.ok(annotations, 'an audit event with the validation failure');
    assert.deepEqual(JSON.parse(annotations['validation.policy.admission.k8s.io/validation_failure']), [
      { message: 'no passwords in configmaps', policy: 'audited.example.com', binding: 'audited', expressionIndex: 0, validationActions: ['Audit'] },
    ]);
    assert.equal(annotations['audited.example.com/keys'], '2 keys');
  });
});
