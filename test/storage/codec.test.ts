/**
 * The storage codec (runtime/storage/codec.ts) against upstream's own bytes: k8s.io/api v0.32.0 testdata/HEAD/*.pb
 * (copied to test/fixtures/k8s-api-v0.32.0) are Go's protobuf encodings, with the `k8s\0` envelope, of a filled
 * object of every kind. Decoding and re-encoding gives the same bytes for every one of them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { addToScheme } from '../../generated/index.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { jsonCodec, newStorageCodec, validateStorageMediaType } from '../../runtime/storage/codec.ts';

const dir = new URL('../fixtures/k8s-api-v0.32.0/', import.meta.url).pathname;
const scheme = new Scheme();
addToScheme(scheme);
const protobuf = newStorageCodec({ mediaType: 'application/vnd.kubernetes.protobuf', protobuf: scheme.protobuf });

test('objects kube-apiserver wrote in protobuf are decoded and written again byte for byte', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.pb'));
  assert.ok(files.length >= 40, `${files.length} golden files`);
  const differ: string[] = [];
  for (const file of files) {
    const name = file.slice(0, -3);
    const golden = readFileSync(dir + file);
    const obj = protobuf.decode(golden);
    // The golden objects carry a resourceVersion, which the store never writes: encode with the message codec.
    const again = Buffer.from(scheme.protobuf.encodeObject(obj));
    if (!again.equals(golden)) differ.push(name);
  }
  assert.deepEqual(differ, []);
});

test('golden objects decode to upstream JSON of the same object, every volume source of a Pod and a PV included', () => {
  for (const name of ['core.v1.ConfigMap', 'core.v1.Pod', 'core.v1.PersistentVolume']) {
    const obj = protobuf.decode(readFileSync(dir + name + '.pb'));
    assert.deepEqual(obj, JSON.parse(readFileSync(dir + name + '.json', 'utf8')), name);
  }
});

test('JSON as Go writes it: kind and apiVersion first, no resourceVersion, a trailing newline; YAML as JSONToYAML writes it (keys sorted); both read back', () => {
  const cm = { metadata: { name: 'a', resourceVersion: '5' }, apiVersion: 'v1', data: { k: 'v' }, kind: 'ConfigMap' };
  const text = Buffer.from(jsonCodec.encode(cm)).toString();
  assert.equal(text, '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a"},"data":{"k":"v"}}\n');
  assert.deepEqual(protobuf.decode(Buffer.from(text)), { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a' }, data: { k: 'v' } });
  const yaml = newStorageCodec({ mediaType: 'application/yaml', protobuf: scheme.protobuf });
  const yamlText = Buffer.from(yaml.encode(cm)).toString();
  assert.equal(yamlText, 'apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: a\n');
  assert.deepEqual(protobuf.decode(Buffer.from(yamlText)), { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a' }, data: { k: 'v' } });
  assert.throws(() => protobuf.decode(Buffer.from('[1]')), /not a JSON object/);
});

test('kinds without a protobuf form (custom resources) are written as JSON whatever the media type', () => {
  const cr = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c' }, spec: { x: 1 } };
  assert.equal(protobuf.encode(cr)[0], 0x7b);
  const cm = protobuf.encode({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: '9', selfLink: '/api/v1/x' } });
  assert.equal(Buffer.from(cm.subarray(0, 4)).toString('latin1'), 'k8s\0');
  assert.deepEqual(protobuf.decode(cm).metadata, { name: 'c' }, 'neither resourceVersion nor selfLink is stored, as upstream');
});

test('--storage-media-type is checked as upstream checks it', () => {
  for (const ok of ['', 'application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']) assert.equal(validateStorageMediaType(ok), undefined);
  assert.equal(validateStorageMediaType('application/cbor'), '--storage-media-type "application/cbor" invalid, allowed values: application/json, application/vnd.kubernetes.protobuf, application/yaml');
});

test("YAML storage reads a custom resource's int64s past 2^53 back exact, as upstream's YAMLToJSON and unstructured decoder do", () => {
  const yaml = newStorageCodec({ mediaType: 'application/yaml', exactIntegers: (_apiVersion, kind) => kind === 'CronTab' });
  const cr = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c' }, spec: { size: 9007199254740993n, small: 7, list: [-9223372036854775807n] } };
  const text = Buffer.from(yaml.encode(cr)).toString();
  assert.match(text, /size: 9007199254740993\n/);
  assert.deepEqual(yaml.decode(Buffer.from(text)), cr);
  // A kind that does not keep int64s (a built-in one) reads them as JSON.parse would.
  const cm = yaml.decode(Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  generation: 9007199254740993\n'));
  assert.equal(cm.metadata.generation, 9007199254740992);
});
