import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalQuantity, canonicalizeQuantities, isQuantity, sentQuantity } from '../../runtime/machinery/quantity.ts';

describe('quantities', () => {
  // Expected forms are what kube-apiserver stores for the same input.
  const cases: Array<[string, string]> = [
    ['1000m', '1'],
    ['0.5', '500m'],
    ['1.5', '1500m'],
    ['100m', '100m'],
    ['2000', '2k'],
    ['1500', '1500'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['2048Ki', '2Mi'],
    ['1.5Gi', '1536Mi'],
    ['512', '512'],
    ['0.5Ki', '512'],
    ['1e3', '1e3'],
    ['1.5e3', '1500'],
    ['0', '0'],
    ['0Gi', '0'],
    ['-1', '-1'],
    ['0.0000000001', '1n'],
    ['1M', '1M'],
    ['+5', '5'],
  ];
  for (const [input, want] of cases) {
    it(`${input} -> ${want}`, () => assert.equal(canonicalQuantity(input), want));
  }

  it('accepts and refuses forms as upstream', () => {
    for (const ok of ['1', '1.', '.5', '1Ki', '5e-3', '2E6', '-3m']) assert.ok(isQuantity(ok), ok);
    for (const bad of ['', 'abc', '1KB', '1 Gi', '1ki', '--1', '1e']) assert.ok(!isQuantity(bad), bad);
  });

  it('rewrites quantities inside an object by its schema, numbers included', () => {
    const schema = { properties: { spec: { properties: { limits: { patternProperties: { '^.*$': { format: 'quantity' } } }, name: {} } } } };
    const obj = { spec: { limits: { cpu: '1000m', memory: '1024Mi', gpus: 2 }, name: '1000m' } };
    canonicalizeQuantities(schema, obj);
    assert.deepEqual(obj, { spec: { limits: { cpu: '1', memory: '1Gi', gpus: '2' }, name: '1000m' } });
  });

  it('rounds a resource list amount up to thousandths, as SetDefaults_ResourceList, and keeps what was sent', () => {
    const schema = { properties: { limits: { patternProperties: { '^.*$': { format: 'quantity' } } }, size: { format: 'quantity' } } };
    const obj = { limits: { cpu: '1500u', neg: '-1500u', almost: '999500u', exp: '1.5e-4', mem: '1.5' }, size: '1500u' };
    canonicalizeQuantities(schema, obj);
    assert.deepEqual(obj, { limits: { cpu: '2m', neg: '-2m', almost: '1', exp: '1e-3', mem: '1500m' }, size: '1500u' });
    assert.equal(sentQuantity(obj.limits, 'cpu'), '1500u');
    assert.equal(sentQuantity(obj.limits, 'mem'), '1.5');
  });
});
