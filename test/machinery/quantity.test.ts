import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalQuantity, canonicalizeQuantities, compareQuantities, isQuantity, quantityParseError, sentQuantity } from '../../runtime/machinery/quantity.ts';

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
    // apimachinery v0.32.0 ParseQuantity: sub-nano amounts round by magnitude, the sign put back after
    ['-0.0000000001', '-1n'], ['-3.001n', '-4n'], ['-1.1E-9', '-2e-9'], ['-0.5n', '-1n'],
    // binary amounts past int64 are capped at its maximum (maxAllowed), either sign; decimal ones are not
    ['8Ei', '9223372036854775807'], ['-9Ei', '-9223372036854775807'], ['9.5Ei', '9223372036854775807'],
    ['9223372036854775807Ki', '9223372036854775807'], ['7Ei', '7Ei'], ['9223372036854775808', '9223372036854775808'],
    // a decimal exponent is read as an int64 and kept as its int32 (Go's conversion wraps)
    ['1e1000', '10e999'], ['1e4294967296', '1'], ['1e9223372036854775807', '100e-3'],
    ['-0', '0'], ['.5', '500m'], ['5.', '5'], ['1E', '1E'], ['0.000000000001Ki', '2n'],
  ];
  for (const [input, want] of cases) {
    it(`${input} -> ${want}`, () => assert.equal(canonicalQuantity(input), want));
  }

  it('compares and rounds amounts of any exponent without their power of ten', () => {
    assert.equal(compareQuantities('1e2000000000', '0'), 1);
    assert.equal(compareQuantities('-1e2000000000', '1'), -1);
    assert.equal(compareQuantities('999m', '1'), -1);
    assert.equal(compareQuantities('1.5', '1500m'), 0);
    assert.equal(compareQuantities('-12', '-9'), -1);
    assert.equal(canonicalQuantity('1e-2000000000'), '1e-9');
    assert.equal(canonicalQuantity('-1e-2000000000'), '-1e-9');
  });

  it('accepts and refuses forms as upstream', () => {
    for (const ok of ['1', '1.', '.5', '1Ki', '5e-3', '2E6', '-3m']) assert.ok(isQuantity(ok), ok);
    for (const bad of ['', 'abc', '1KB', '1 Gi', '1ki', '--1', '1e', '1e9223372036854775808', '1e-9223372036854775809']) assert.ok(!isQuantity(bad), bad);
    assert.ok(isQuantity('1e-9223372036854775808'));
    assert.equal(quantityParseError('1e9223372036854775808'), "unable to parse quantity's suffix");
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
