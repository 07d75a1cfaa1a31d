import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile, evaluate } from '../../runtime/cel/index.ts';

/** The value of an expression, or its run-time error text; a compile error fails the test. */
function outcome(expression: string): unknown {
  const c = compile(expression, { variables: {} });
  if (c.error !== undefined) throw new Error(c.error);
  const r = evaluate(c.program, {});
  return r.error ?? r.value;
}

// apiserver v0.32.0 pkg/cel/library/quantity_test.go (TestQuantity), and Go's resource.Quantity (apimachinery
// v0.32.0 quantity.go, amount.go) for the representation quirks a rule can see.
describe('CEL quantity library as upstream', () => {
  it('answers upstream library tests', () => {
    const cases: Array<[string, unknown]> = [
      ['quantity("10Mo")', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
      ['quantity("10Mm")', "unable to parse quantity's suffix"],
      ['isQuantity("20") && isQuantity("20M") && isQuantity("20Mi")', true],
      ['isQuantity("20Mo") || isQuantity("10Mm")', false],
      ['quantity("200M") == quantity("0.2G") && quantity("0.2G") == quantity("200M")', true],
      ['quantity("2M") == quantity("0.002G") && quantity("2000k") == quantity("2M")', true],
      ['quantity("200M") == quantity("0.3G")', false],
      ['quantity("50M").isLessThan(quantity("50Mi")) && quantity("50Mi").isGreaterThan(quantity("50M"))', true],
      ['quantity("50M").compareTo(quantity("50Mi"))', -1n],
      ['quantity("50k").add(quantity("20")) == quantity("50.02k")', true],
      ['quantity("50k").add(20).isLessThan(quantity("50020"))', false],
      ['quantity("50k").sub(quantity("20")) == quantity("49.98k")', true],
      ['quantity("50k").add(20).sub(quantity("100k")).asInteger()', -49980n],
      ['quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger()', 20n],
      ['quantity("9999999999999999999999999999999999999G").asInteger()', 'cannot convert value to integer'],
      ['quantity("9999999999999999999999999999999999999G").isInteger()', false],
      ['quantity("50.703k").asApproximateFloat()', 50703],
    ];
    for (const [expression, want] of cases) assert.deepEqual(outcome(expression), want, expression);
  });

  it('converts to an integer only what Go holds as a whole int64', () => {
    // 1000m is 1000 x 10^-3 and 1.5Gi an inf.Dec: AsInt64 refuses both; 0.5k is 5 x 10^2, 1e18 is 1 x 10^18.
    assert.equal(outcome('quantity("1000m").isInteger() || quantity("1.5Gi").isInteger() || quantity("1.0").isInteger()'), false);
    assert.equal(outcome('quantity("0.5k").asInteger() == 500 && quantity("1e18").asInteger() == 1000000000000000000 && quantity("-").asInteger() == 0'), true);
    assert.equal(outcome('quantity("1500m").add(quantity("500m")).isInteger()'), false);
    assert.equal(outcome('quantity("1e19").isInteger()'), false);
  });

  it('takes any exponent ParseQuantity takes', () => {
    assert.equal(outcome('quantity("1e41").isGreaterThan(quantity("1e40")) && quantity("1e100").asApproximateFloat() == 1e100'), true);
    assert.equal(outcome('quantity("1e2000000000").asApproximateFloat()'), Infinity);
  });

  it('has sign as a global function only', () => {
    assert.equal(outcome('sign(quantity("-1n")) == -1 && sign(quantity("0")) == 0 && sign(quantity("1Ki")) == 1'), true);
    assert.match(compile('quantity("1").sign()', { variables: {} }).error ?? '', /found no matching overload for 'sign' applied to 'kubernetes.Quantity.\(\)'/);
  });
});
