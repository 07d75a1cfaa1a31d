/** machinery/raw-json.ts: the texts of RawExtension fields, found in a body, compacted as Go does, written back. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactJson, keepRawFields, rawForm, rawTextOf, spliceRawJson, toRawForms, withRawValues } from '../../runtime/machinery/raw-json.ts';
import { goJson } from '../../runtime/machinery/json-value.ts';

function kept(text: string): Record<string, unknown> {
  const obj = JSON.parse(text) as Record<string, unknown>;
  keepRawFields(['data'], text, obj);
  return obj;
}

describe('raw JSON fields', () => {
  it('keeps the value text of the named top-level fields as written', () => {
    assert.deepEqual(kept('{"kind":"X", "data" : {"b": 1, "1": 2.0} ,"revision":1}').data, rawForm('{"b": 1, "1": 2.0}'));
    // Keys written with escapes, strings holding braces and quotes, nested values of other fields.
    assert.deepEqual(kept('{"x":{"data":1},"s":"}\\"{","d\\u0061ta":["a}", {"c":[]}]}').data, rawForm('["a}", {"c":[]}]'));
    assert.deepEqual(kept('{"data":-1.5e3}').data, rawForm('-1.5e3'));
    assert.deepEqual(kept('{"data":"text"}').data, rawForm('"text"'));
    assert.deepEqual(kept('{"data":true,"revision":1}').data, rawForm('true'));
    // The last of repeated members wins, as Go's decoder calls UnmarshalJSON for each; null leaves the field empty.
    assert.deepEqual(kept('{"data":{"a":1},"data":{"a": 2}}').data, rawForm('{"a": 2}'));
    assert.equal(kept('{"data":null}').data, null);
    assert.deepEqual(kept('{"other":{"a":1}}'), { other: { a: 1 } });
  });

  it('compacts as Go\'s encoder writes a Marshaler\'s output: no whitespace outside strings, HTML escaped', () => {
    assert.equal(compactJson('{ "a" : [ 1 ,\n\t2.50 ] , "s": "x y <&> \\" \\u00e9" }'), '{"a":[1,2.50],"s":"x y \\u003c\\u0026\\u003e \\" \\u00e9"}');
    assert.equal(compactJson('12345678901234567890'), '12345678901234567890');
    assert.equal(compactJson('"\u2028"'), '"\\u2028"');
  });

  it('splices the kept texts into JSON.stringify output, compacted; other JSON is left as it is', () => {
    const list = { items: [{ data: rawForm('{"b": 1, "a": 1.0}') }, { data: rawForm('[ 12345678901234567890 ]') }, { data: { plain: 1 } }] };
    assert.equal(spliceRawJson(JSON.stringify(list)), '{"items":[{"data":{"b":1,"a":1.0}},{"data":[12345678901234567890]},{"data":{"plain":1}}]}');
    const plain = JSON.stringify({ a: '{"\\u0000raw":"x"}' });
    assert.equal(spliceRawJson(plain), plain);
  });

  it('a plain value stands for Go\'s encoding of it: keys sorted, HTML escaped', () => {
    assert.equal(goJson({ b: 1, a: { d: '<', c: [1.5] } }), '{"a":{"c":[1.5],"d":"\\u003c"},"b":1}');
    // Go sorts keys bytewise: "10" before "9", where JSON.stringify writes integer-like keys in numeric order.
    assert.equal(goJson({ 9: 'a', 10: 'b', x: undefined }), '{"10":"b","9":"a"}');
    assert.equal(rawTextOf({ b: 1, a: 2 }), '{"a":2,"b":1}');
    assert.equal(rawTextOf(rawForm('{"b": 1}')), '{"b": 1}');
    const obj: Record<string, unknown> = { data: { b: 1, a: 2 }, other: { b: 1 } };
    toRawForms(['data'], obj);
    assert.deepEqual(obj, { data: rawForm('{"a":2,"b":1}'), other: { b: 1 } });
    assert.deepEqual(withRawValues(['data'], obj), { data: { a: 2, b: 1 }, other: { b: 1 } });
  });
});
