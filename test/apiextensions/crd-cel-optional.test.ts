/**
 * A CRD whose x-kubernetes-validations use cel-go's optional syntax (`self.?spec.?size.orValue(0)`, `[?a, ?b]`,
 * `optMap`), which kube-apiserver accepts: created through the real server, its rules enforced on custom
 * resources written with kubectl and HTTP, with upstream's messages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { createEstablishedCRD, crdManifest, crdsPath } from '../support/crd.ts';

const lampSchema = {
  type: 'object',
  'x-kubernetes-validations': [
    { rule: "self.?spec.?color.orValue('blue') != 'red'", messageExpression: "'color ' + self.?spec.?color.orValue('') + ' is refused'" },
    { rule: '[?self.?spec.?color, ?self.?spec.?shade].size() <= 1', message: 'set one of color and shade' },
    { rule: "oldSelf.?spec.?color.optMap(c, c == self.?spec.?color.orValue('')).orValue(true)", message: 'color is immutable', optionalOldSelf: true },
  ],
  properties: {
    spec: {
      type: 'object',
      'x-kubernetes-validations': [{ rule: 'self.?watts.orValue(0) <= 60', message: 'at most 60 watts' }],
      properties: { watts: { type: 'integer' }, color: { type: 'string', maxLength: 20 }, shade: { type: 'string', maxLength: 20 } },
    },
  },
};
const crd = crdManifest({ group: 'example.com', names: { plural: 'lamps', kind: 'Lamp' }, schema: lampSchema });

const lamp = (name: string, spec: Record<string, unknown>) => JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Lamp', metadata: { name }, spec });

describe('CRD validation rules with the optional syntax', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => server?.stop());

  it('accepts the CRD and enforces its rules on custom resources', async () => {
    await createEstablishedCRD(server, crd);

    const tooBright = await kubectl.run(['apply', '-f', '-'], lamp('bright', { watts: 100 }));
    assert.notEqual(tooBright.code, 0);
    assert.equal(tooBright.stderr.trim(), 'The Lamp "bright" is invalid: spec: Invalid value: "object": at most 60 watts');

    const red = await server.request('POST', '/apis/example.com/v1/namespaces/default/lamps', JSON.parse(lamp('red', { color: 'red' })));
    assert.equal(red.status, 422, red.text);
    assert.equal(red.json.message, 'Lamp.example.com "red" is invalid: <nil>: Invalid value: "object": color red is refused');

    const both = await kubectl.run(['apply', '-f', '-'], lamp('both', { color: 'blue', shade: 'dark' }));
    assert.notEqual(both.code, 0);
    assert.match(both.stderr, /set one of color and shade/);

    // A lamp without a spec passes every rule: each optional chain falls back to its default.
    const bare = await kubectl.run(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Lamp', metadata: { name: 'bare' } }));
    assert.equal(bare.code, 0, bare.stderr);
    const ok = await kubectl.run(['apply', '-f', '-'], lamp('desk', { watts: 40, color: 'blue' }));
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /lamp.example.com\/desk created/);

    // The transition rule compares with the old color once there is one.
    const recolor = await kubectl.run(['patch', 'lamp', 'desk', '--type=merge', '-p', '{"spec":{"color":"green"}}']);
    assert.notEqual(recolor.code, 0);
    assert.equal(recolor.stderr.trim(), 'The Lamp "desk" is invalid: <nil>: Invalid value: "object": color is immutable');
    const dim = await kubectl.run(['patch', 'lamp', 'desk', '--type=merge', '-p', '{"spec":{"watts":25}}']);
    assert.equal(dim.code, 0, dim.stderr);
  });

  it('refuses a rule with an optional selection of an undeclared field, at its column', async () => {
    const schema = { ...lampSchema, 'x-kubernetes-validations': [{ rule: 'self.?spec.?wats.orValue(0) <= 60', message: 'x' }] };
    const res = await server.request('POST', crdsPath, crdManifest({ group: 'example.com', names: { plural: 'bulbs', kind: 'Bulb' }, schema }));
    assert.equal(res.status, 422, res.text);
    assert.match(res.json.details.causes[0].message, /compilation failed: ERROR: <input>:1:11: undefined field 'wats'\n \| self\.\?spec\.\?wats\.orValue\(0\) <= 60\n \| \.{10}\^$/);
  });
});
