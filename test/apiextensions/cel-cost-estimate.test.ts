import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateExpressionCost, type JSONSchemaProps } from '../../runtime/apiextensions/schema/index.ts';

// The schemas of apiextensions-apiserver v0.32.0 pkg/apiserver/schema/cel/compilation_test.go (its gen*WithRule
// helpers), each with a maximum (maxItems, maxProperties, maxLength) or without.
type S = JSONSchemaProps;
function ruleType(t: string): S {
  if (t === 'duration' || t === 'date' || t === 'date-time') return { type: 'string', format: t };
  if (t === 'int-or-string') return { 'x-kubernetes-int-or-string': true };
  return { type: t };
}
const objectForMap = (): S => ({ type: 'object', properties: { required: { type: 'string' }, optional: { type: 'string' } }, required: ['required'] });
const gens: Record<string, (args: string[], m?: number) => S> = {
  genArrayWithRule: ([t], m) => ({ type: 'array', items: ruleType(t), ...(m !== undefined && { maxItems: m }) }),
  genArrayOfArraysWithRule: ([t], m) => ({ type: 'array', items: { type: 'array', items: { type: t } }, ...(m !== undefined && { maxItems: m }) }),
  genObjectArrayWithRule: (_, m) => ({ type: 'array', items: objectForMap(), ...(m !== undefined && { maxItems: m }) }),
  getMapArrayWithRule: ([t], m) => ({ type: 'array', items: { type: 'object', additionalProperties: { type: t } }, ...(m !== undefined && { maxItems: m }) }),
  genMapWithRule: ([t], m) => ({ type: 'object', additionalProperties: ruleType(t), ...(m !== undefined && { maxProperties: m }) }),
  genStringWithRule: (_, m) => ({ type: 'string', ...(m !== undefined && { maxLength: m }) }),
  genBytesWithRule: (_, m) => ({ type: 'string', format: 'byte', ...(m !== undefined && { maxLength: m }) }),
  genNestedSpecWithRule: (_, m) => ({ type: 'object', additionalProperties: { type: 'string', ...(m !== undefined && { maxLength: m }) }, ...(m !== undefined && { maxProperties: m }) }),
  genAllMaxNestedSpecWithRootRule: (_, m) => ({ type: 'array', items: { type: 'object', additionalProperties: { ...objectForMap(), ...(m !== undefined && { maxProperties: m }) }, ...(m !== undefined && { maxProperties: m }) }, ...(m !== undefined && { maxItems: m }) }),
  genOneMaxNestedSpecWithRootRule: (_, m) => ({ type: 'array', items: { type: 'object', additionalProperties: objectForMap(), ...(m !== undefined && { maxProperties: m }) } }),
};

// TestCostEstimation's rows: generator, its type argument, rule, the maximum set, then the estimated cost upstream
// gives without the maximum, the cost it must at least reach without it, and the same two with it (0: not checked).
// Not here: "map of strings with value length" (the size of a map's key is not yet upstream's).
const rows: Array<[string, string | null, string, number, number, number, number, number]> = [
  ["genArrayWithRule", "number", "self.all(x, true)", 10, 4718591, 0, 32, 0],
  ["genArrayWithRule", "string", "self.all(x, true)", 20, 3145727, 0, 62, 0],
  ["genArrayWithRule", "boolean", "self.all(x, true)", 5, 1887437, 0, 17, 0],
  ["genArrayOfArraysWithRule", "number", "self.all(x, true)", 100, 3145727, 0, 302, 0],
  ["genObjectArrayWithRule", null, "self.all(x, true)", 50, 555128, 0, 152, 0],
  ["genMapWithRule", "number", "self.all(x, true)", 10, 1348169, 0, 32, 0],
  ["genMapWithRule", "number", "has(self.x)", 100, 0, 0, 0, 0],
  ["genMapWithRule", "string", "self.all(x, true)", 3, 1179647, 0, 11, 0],
  ["genMapWithRule", "string", "has(self.x)", 550, 0, 0, 0, 0],
  ["genMapWithRule", "boolean", "self.all(x, true)", 100, 943718, 0, 302, 0],
  ["genMapWithRule", "boolean", "has(self.x)", 1024, 0, 0, 0, 0],
  ["genStringWithRule", null, "self.contains('test')", 10, 314574, 0, 5, 0],
  ["genStringWithRule", null, "self.startsWith('test')", 15, 2, 0, 2, 0],
  ["genStringWithRule", null, "self.endsWith('test')", 30, 2, 0, 2, 0],
  ["genStringWithRule", null, "size(self + \"hello\") > size(\"hello\")", 4, 314578, 0, 7, 0],
  ["genArrayWithRule", "number", "self[1] == 0.0", 5000, 2, 0, 2, 0],
  ["genArrayWithRule", "string", "self[1] == self[1]", 8, 314577, 0, 314577, 0],
  ["genArrayWithRule", "number", "self.all(x, self.all(y, true))", 10, 0, 0, 352, 0],
  ["genArrayWithRule", "number", "self.all(x, self.all(y, self.all(z, true)))", 10, 0, 0, 3552, 0],
  ["genStringWithRule", null, "self.matches(\"x\")", 50, 314574, 0, 22, 0],
  ["genStringWithRule", null, "\"\".matches(\"(((((((((())))))))))[0-9]\")", 10, 7, 0, 7, 0],
  ["genStringWithRule", null, "self.matches(\"\")", 100, 1, 0, 1, 0],
  ["genArrayWithRule", "number", "self[3] == 0.0", 0, 2, 0, 2, 0],
  ["genMapWithRule", "number", "self[\"x\"] == 0.0", 0, 2, 0, 2, 0],
  ["genStringWithRule", null, "self == \"x\"", 0, 2, 0, 1, 0],
  ["genBytesWithRule", null, "self == b\"x\"", 0, 2, 0, 1, 0],
  ["genArrayWithRule", "number", "self.all(x, x == 0.0)", 6291456, 6291454, 0, 25165826, 0],
  ["genAllMaxNestedSpecWithRootRule", null, "self.all(x, x[\"y\"].required == \"z\")", 10, 7340027, 0, 72, 0],
  ["genOneMaxNestedSpecWithRootRule", null, "self.all(x, x[\"y\"].required == \"z\")", 10, 7340027, 0, 7340027, 0],
  ["genArrayWithRule", "int-or-string", "self.all(x, true)", 10, 4718591, 0, 32, 0],
  ["genArrayWithRule", "int-or-string", "self[0] == 5", 10, 3, 0, 3, 0],
  ["genArrayWithRule", "boolean", "self[0] == false", 25, 2, 0, 2, 0],
  ["genObjectArrayWithRule", null, "self[0] == null", 422, 2, 0, 2, 0],
  ["genArrayOfArraysWithRule", "number", "self[0][0] == -1.0", 51, 3, 0, 3, 0],
  ["getMapArrayWithRule", "number", "self.all(x, x.y == 25.2)", 12, 6291452, 0, 74, 0],
  ["getMapArrayWithRule", "number", "self[0].x > 2.0", 3000, 4, 0, 4, 0],
  ["genArrayWithRule", "duration", "self.all(x, true)", 5, 2359295, 0, 17, 0],
  ["genArrayWithRule", "duration", "self[0].getHours() == 2", 525, 4, 0, 4, 0],
  ["genArrayWithRule", "date", "self.all(x, true)", 15, 725936, 0, 47, 0],
  ["genArrayWithRule", "date", "self[2].getDayOfMonth() == 13", 42, 4, 0, 4, 0],
  ["genArrayWithRule", "date-time", "self.all(x, true)", 25, 428963, 0, 77, 0],
  ["genArrayWithRule", "date-time", "self[2].getMinutes() == 45", 99, 4, 0, 4, 0],
  ["genMapWithRule", "int-or-string", "self.all(x, true)", 15, 1348169, 0, 47, 0],
  ["genMapWithRule", "int-or-string", "has(self.x)", 5000, 0, 0, 0, 0],
  ["genMapWithRule", "duration", "self.all(x, true)", 5, 1048577, 0, 17, 0],
  ["genMapWithRule", "duration", "has(self.x)", 256, 0, 0, 0, 0],
  ["genMapWithRule", "date", "self.all(x, true)", 10, 524288, 0, 32, 0],
  ["genMapWithRule", "date", "has(self.x)", 65536, 0, 0, 0, 0],
  ["genMapWithRule", "date-time", "self.all(x, true)", 25, 349526, 0, 77, 0],
  ["genMapWithRule", "date-time", "has(self.x)", 490, 0, 0, 0, 0],
  ["genStringWithRule", null, "self.find('[0-9]+') == ''", 10, 629147, 0, 11, 0],
  ["genMapWithRule", "integer", "oldSelf.size() == self.size()", 10, 5, 0, 5, 0],
  ["genMapWithRule", "date-time", "self[\"a\"] == self[\"b\"]", 7, 8, 0, 8, 0],
  ["genMapWithRule", "duration", "self[\"c\"] == self[\"d\"]", 42, 8, 0, 8, 0],
];

describe('CRD rule cost estimates as upstream', () => {
  it("gives TestCostEstimation's figures", () => {
    const wrong: string[] = [];
    for (const [gen, type, rule, max, calc, calcExceeds, set, setExceeds] of rows) {
      for (const [m, want, atLeast] of [[undefined, calc, calcExceeds], [max, set, setExceeds]] as const) {
        if (!want && !atLeast) continue;
        const got = estimateExpressionCost(rule, gens[gen]!([type ?? ''], m))!;
        if (want ? got !== want : got < atLeast) wrong.push(`${gen}(${type ?? ''}) max ${m ?? 'unset'}: ${rule}: ${got}, upstream ${want || `>= ${atLeast}`}`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});
