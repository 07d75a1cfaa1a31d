/**
 * JSON text as Go's encoding/json writes it (machinery/json-text.ts): a map's keys sorted byte by byte, where a
 * JavaScript object lists array-index keys ("9", "10") first in numeric order; struct fields in the order they have.
 * Given objects as the server holds them, want the text kube-apiserver writes for them, in answers and in storage.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addToScheme } from '../../generated/index.ts';
import { goJson, goOrdered } from '../../runtime/machinery/json-value.ts';
import { jsonText } from '../../runtime/machinery/json-text.ts';
import { sortGoStrings } from '../../runtime/machinery/order.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { jsonCodec, newStorageCodec } from '../../runtime/storage/codec.ts';

const configMap = () => ({
  kind: 'ConfigMap',
  apiVersion: 'v1',
  metadata: { name: 'n', labels: { b: '1', a: '2', '10': 'x', '9': 'y' } },
  data: { b: '1', '10': 'x', '9': 'y', '-1': 'm', a: '2' },
});

describe('jsonText', () => {
  it('writes a map holding keys of digits with all its keys in Go order, and struct fields as they are', () => {
    assert.equal(
      jsonText(configMap()),
      '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"n","labels":{"10":"x","9":"y","a":"2","b":"1"}},"data":{"-1":"m","10":"x","9":"y","a":"2","b":"1"}}',
    );
  });

  it('is JSON.stringify\'s text when no map has such keys (text that looks like one inside a string included)', () => {
    const v = { metadata: { annotations: { z: '{"10":1,"9":2}', a: '[{"0":1}]' } }, spec: { '1a': 1, x: [1, '2'] } };
    assert.equal(jsonText(v), JSON.stringify(v));
  });

  it('orders maps at every depth, inside arrays too, with BigInts as digits and a replacer applied', () => {
    const v = { spec: { '2': [{ '1': 'b', '0': 'a' }], '11': 9007199254740993n, managedFields: [1] } };
    const drop = (k: string, x: unknown) => (k === 'managedFields' ? undefined : x);
    assert.equal(jsonText(v, drop), '{"spec":{"11":9007199254740993,"2":[{"0":"a","1":"b"}]}}');
  });
});

describe("Go's order of strings", () => {
  it('puts a character past U+FFFF after U+E000..U+FFFF, as its UTF-8 bytes sort (JavaScript\'s sort puts it before)', () => {
    const keys = ['\u{1F600}', '\uFFFD', 'a', '\uE000'];
    assert.deepEqual(sortGoStrings([...keys]), ['a', '\uE000', '\uFFFD', '\u{1F600}']);
    assert.equal(goJson({ '\u{1F600}': 1, '\uE000': 2 }), '{"\uE000":2,"\u{1F600}":1}');
    assert.deepEqual(Object.keys(goOrdered({ '\uE000': 2, b: 1, '\u{1F600}': 1 })), ['b', '\uE000', '\u{1F600}']);
  });
});

describe('stored bytes', () => {
  it('JSON storage writes maps with keys of digits in Go order', () => {
    const text = new TextDecoder().decode(jsonCodec.encode(configMap()));
    assert.ok(text.includes('"labels":{"10":"x","9":"y","a":"2","b":"1"}'), text);
    assert.ok(text.includes('"data":{"-1":"m","10":"x","9":"y","a":"2","b":"1"}'), text);
  });

  it("protobuf writes a map's entries in Go's byte order of their keys", () => {
    const scheme = new Scheme();
    addToScheme(scheme);
    const codec = newStorageCodec({ mediaType: 'application/vnd.kubernetes.protobuf', protobuf: scheme.protobuf });
    const bytes = codec.encode({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'n' }, data: { '\u{1F600}': '1', '\uE000': '2', '10': '3', '9': '4' } });
    // Where the entry of `key` starts: its key field (1, length-delimited), its length, its bytes.
    const at = (key: string) => Buffer.from(bytes).indexOf(Buffer.concat([Buffer.from([0x0a, Buffer.byteLength(key)]), Buffer.from(key)]));
    assert.ok(at('10') < at('9') && at('9') < at('\uE000') && at('\uE000') < at('\u{1F600}'), 'entries in the order 10, 9, U+E000, U+1F600');
  });
});
