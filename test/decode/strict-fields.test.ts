/**
 * The strict decoding errors of a JSON body with repeated members, in the order upstream's decoder (sigs.k8s.io/json)
 * meets them; the HTTP answers are in test/fidelity/cases/decode/duplicate-fields.yaml.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goStructs } from '../../runtime/machinery/godecode/index.ts';
import { compileGoType } from '../../runtime/machinery/godecode/json.ts';
import { strictFieldErrors } from '../../runtime/machinery/godecode/strict.ts';

const configMap = compileGoType(goStructs, ['struct', '', '/v1/ConfigMap']);

test('unknown and repeated fields of a typed body come in document order, each once', () => {
  const text = '{"metadata":{"name":"c","foo":1},"data":{"a":"1","a":"2"},"x":{"y":1,"y":2},"data":{},"data":{},"metadata":{}}';
  assert.deepEqual(strictFieldErrors(text, configMap), ['unknown field "metadata.foo"', 'duplicate field "data.a"', 'unknown field "x"', 'duplicate field "data"', 'duplicate field "metadata"']);
});

test('values that decode themselves are not looked into', () => {
  const text = '{"metadata":{"managedFields":[{"fieldsV1":{"f:a":{},"f:a":{}}}]}}';
  assert.deepEqual(strictFieldErrors(text, configMap), []);
});

test('without Go types (a custom resource) every object is a map: only repeats are errors', () => {
  const text = '{"spec":{"a":[{"b":1,"b":"x \\" y"}],"a":2},"extra":true}';
  assert.deepEqual(strictFieldErrors(text, undefined), ['duplicate field "spec.a[0].b"', 'duplicate field "spec.a"']);
});
