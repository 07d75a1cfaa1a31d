/**
 * kube-apiserver v1.32's two CEL environments for CRD rules: a rule written now compiles with the libraries of the
 * compatibility version (1.31), so two-variable comprehensions (in 1.32) are refused with cel-go's message; a rule
 * the CRD already has (stored by a newer server, here written into the store) is evaluated with every library of
 * 1.32 and keeps compiling when the CRD is updated without changing it. The same holds for a server started with
 * --emulated-version=kube=1.31.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { restartWithStoredBytes } from '../support/stored-bytes.ts';
import { crdManifest, crdsPath, waitEstablished } from '../support/crd.ts';

const storedRule = 'self.all(k, v, v <= 10)';
// What the API accepts today, of the stored rule's length (the store is rewritten byte for byte).
const placeholder = "self.all(k, k != '')".padEnd(storedRule.length, ' ');

function crd(rules: Array<{ rule: string; message?: string }>, names = { plural: 'quotas', kind: 'Quota' }) {
  const limits = { type: 'object', additionalProperties: { type: 'integer' }, 'x-kubernetes-validations': rules };
  return crdManifest({ group: 'example.com', names, schema: { type: 'object', properties: { spec: { type: 'object', properties: { limits } } } } });
}

const crds = crdsPath;
const quota = (name: string, limits: Record<string, number>) => ({ apiVersion: 'example.com/v1', kind: 'Quota', metadata: { name }, spec: { limits } });
const rulePath = 'spec.validation.openAPIV3Schema.properties[spec].properties[limits].x-kubernetes-validations';

describe('CRD rules: new and stored CEL environments', () => {
  let dataDir: string;
  let server: TestServer;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-cel-envs-'));
    server = await startServer({ dataDir });
    const created = await server.request('POST', crds, crd([{ rule: placeholder, message: 'at most 10 each' }]));
    assert.equal(created.status, 201, created.text);
    // Emulating 1.31 changes nothing here: in v1.32 the compatibility version new rules get stays 1.31 whatever the
    // emulation version (component-base's Set only sets the latter).
    server = await restartWithStoredBytes(
      server,
      [['/registry/apiextensions.k8s.io/customresourcedefinitions/quotas.example.com', placeholder, storedRule]],
      ['--emulated-version=kube=1.31'],
    );
    await waitEstablished(server, 'quotas.example.com');
  });
  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a two-variable comprehension in a new CRD with cel-go\'s message', async () => {
    const r = await server.request('POST', crds, crd([{ rule: 'self.exists(k, v, v == 0)' }], { plural: 'others', kind: 'Other' }));
    assert.equal(r.status, 422, r.text);
    const causes = r.json.details.causes as Array<{ field: string; message: string }>;
    assert.equal(causes.length, 1, r.text);
    assert.equal(causes[0].field, `${rulePath}[0].rule`);
    const lines = (col: number, message: string) => [`ERROR: <input>:1:${col}: ${message}`, ' | self.exists(k, v, v == 0)', ` | ${'.'.repeat(col - 1)}^`];
    assert.equal(
      causes[0].message,
      [
        'Invalid value: apiextensions.ValidationRule{Rule:"self.exists(k, v, v == 0)", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ' +
          lines(12, "undeclared reference to 'exists' (in container '')").join('\n'),
        ...lines(13, "undeclared reference to 'k' (in container '')"),
        ...lines(16, "undeclared reference to 'v' (in container '')"),
        ...lines(19, "undeclared reference to 'v' (in container '')"),
      ].join('\n'),
    );
  });

  it('enforces the stored rule on custom resources', async () => {
    const kubectl = kubectlRunner(server.kubeconfig);
    const ok = await server.request('POST', '/apis/example.com/v1/namespaces/default/quotas', quota('small', { cpu: 2, memory: 10 }));
    assert.equal(ok.status, 201, ok.text);
    const refused = await kubectl.run(['apply', '-f', '-'], JSON.stringify(quota('big', { cpu: 11 })));
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /The Quota "big" is invalid: spec\.limits: Invalid value: "object": at most 10 each/);
  });

  it('keeps compiling the unchanged stored rule when the CRD is updated', async () => {
    const current = await server.request('GET', `${crds}/quotas.example.com`);
    const updated = { ...current.json, metadata: { ...current.json.metadata, labels: { touched: 'yes' } } };
    const r = await server.request('PUT', `${crds}/quotas.example.com`, updated);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.limits['x-kubernetes-validations'][0].rule, storedRule);
  });

  it('refuses a new two-variable rule added beside the stored one', async () => {
    const current = await server.request('GET', `${crds}/quotas.example.com`);
    const limits = current.json.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.limits;
    limits['x-kubernetes-validations'].push({ rule: 'self.exists(k, v, v == 0)' });
    const r = await server.request('PUT', `${crds}/quotas.example.com`, current.json);
    assert.equal(r.status, 422, r.text);
    const causes = r.json.details.causes as Array<{ field: string; message: string }>;
    assert.deepEqual(
      causes.map((c) => c.field),
      [`${rulePath}[1].rule`],
      r.text,
    );
  });
});
