/**
 * ProtobufCodec.decodedForm: what decoding an object's protobuf bytes gives, made from the object (a write's result
 * and watch event on etcd come from it, runtime/storage/codec.ts). It must be decodeObject(encodeObject(obj)) member
 * for member and in the same order, for upstream's filled object of every kind (k8s.io/api testdata) and for values
 * the bytes change (sub-second times, zeros protobuf leaves out, empty lists and maps, unknown members), or undefined.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { addToScheme } from '../../generated/index.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';

const dir = new URL('../fixtures/k8s-api-v0.32.0-testdata/', import.meta.url).pathname;
const scheme = new Scheme();
addToScheme(scheme);
const codec = scheme.protobuf;

/** decodedForm(obj) is what the bytes read back as, or undefined; says which. */
function check(obj: Record<string, unknown>): 'followed' | 'decode' {
  const form = codec.decodedForm(obj);
  if (form === undefined) return 'decode';
  const decoded = codec.decodeObject(codec.encodeObject(obj));
  assert.equal(JSON.stringify(form), JSON.stringify(decoded)); // member order too
  assert.deepStrictEqual(form, decoded); // -0, undefined members, holes
  return 'followed';
}

describe('protobuf decodedForm is what the bytes read back as', () => {
  const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  it('every kind of upstream testdata, as written and as read back', () => {
    const unfollowed: string[] = [];
    for (const name of names) {
      const obj = JSON.parse(readFileSync(`${dir}${name}`, 'utf8'));
      const read = codec.decodeObject(readFileSync(`${dir}${name.slice(0, -'.json'.length)}.pb`));
      for (const o of [obj, read]) if (check(o) === 'decode') unfollowed.push(name);
    }
    assert.ok(names.length >= 40);
    // Only a RawExtension (ControllerRevision's data) and the fuzzer's int64s past 2^53 are left to the bytes.
    assert.deepEqual([...new Set(unfollowed)], ['apps.v1.ControllerRevision.json', 'policy.v1.PodDisruptionBudget.json']);
  });

  it('values the bytes change: sub-second and zero times, zeros, empty lists and maps, unknown members, int32 overflow', () => {
    const cases: Record<string, unknown>[] = [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', namespace: 'ns', creationTimestamp: '2024-05-06T07:08:09.123456Z', labels: {}, annotations: { b: '1', a: '', '10': 'x', '9': 'y' }, finalizers: [], generation: -0, uid: '' },
        data: { k: 'v' },
        binaryData: { b: 'aGVsbG8' },
        immutable: false,
        extra: { not: 'declared' },
      },
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'e', deletionTimestamp: '0001-01-01T00:00:00Z', managedFields: [{ manager: 'm', operation: 'Update', time: 'not a time', fieldsType: 'FieldsV1', fieldsV1: { 'f:a': {} } }] },
        involvedObject: {},
        eventTime: '2024-05-06T07:08:09.1234567Z',
        count: 0,
        series: { count: 2 ** 31 + 5, lastObservedTime: '2024-05-06T07:08:09.000001Z' },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: { replicas: 0, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1.7 } }, template: { spec: { containers: [{ name: 'c', resources: { limits: { cpu: '100m' } } }] } } },
      },
      { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: { renewTime: '2024-05-06T07:08:09.999999999Z', leaseDurationSeconds: 3.9 } },
    ];
    for (const obj of cases) assert.equal(check(obj), 'followed', JSON.stringify(obj));
  });

  it('leaves to the bytes what it does not follow', () => {
    const configMap = (data: unknown) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data });
    assert.equal(check(configMap({ k: 'lone \ud800 surrogate' })), 'decode');
    assert.equal(check(configMap({ k: null })), 'decode');
    assert.equal(check({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', generation: 2 ** 60 } }), 'decode');
    assert.equal(codec.decodedForm({ apiVersion: 'example.com/v1', kind: 'Widget' }), undefined);
  });
});
