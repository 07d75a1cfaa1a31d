/**
 * Go's wire shapes without a server: upstream's own encodings of a filled object of every kind
 * (k8s.io/api v0.32.0 `testdata/HEAD/<group>.<version>.<Kind>.{json,pb}`, copied to
 * test/fixtures/k8s-api-v0.32.0-testdata for the kinds whose every field apis/ declares) are what our protobuf
 * codec writes byte for byte, and read back to upstream's JSON; and the shape passes on their own.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { addToScheme } from '../../generated/index.ts';
import { goShapes } from '../../runtime/machinery/goshape.ts';
import { readRawForms } from '../../runtime/machinery/raw-json.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { decodeObject } from '../../runtime/storage/store.ts';

const dir = new URL('../fixtures/k8s-api-v0.32.0-testdata/', import.meta.url).pathname;
const scheme = new Scheme();
addToScheme(scheme);

describe('protobuf as Go writes it (upstream testdata)', () => {
  const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  it('covers the kinds', () => assert.ok(names.length >= 40, `${names.length} fixtures`));
  for (const name of names) {
    const base = name.slice(0, -'.json'.length);
    it(base, () => {
      const obj = JSON.parse(readFileSync(`${dir}${name}`, 'utf8'));
      const pb = readFileSync(`${dir}${base}.pb`);
      assert.equal(Buffer.from(scheme.protobuf.encodeObject(obj)).toString('hex'), pb.toString('hex'));
      // Read back as storage reads it: decoded, then in Go's shape.
      // RawExtension fields come back as the texts they hold (machinery/raw-json.ts), compared here as values.
      const back = readRawForms(scheme.protobuf.decodeObject(pb)) as Record<string, unknown>;
      goShapes.writeObject(back);
      assert.deepEqual(back, obj);
    });
  }
});

describe('protobuf zero values', () => {
  it('non-pointer scalars and by-value structs are written when unset, and read back in Go\'s JSON shape', () => {
    const pb = scheme.protobuf.encodeObject({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod' }, count: 0 });
    const back = scheme.protobuf.decodeObject(pb);
    goShapes.writeObject(back);
    assert.equal(back.reportingComponent, '');
    assert.equal(back.firstTimestamp, null);
    assert.deepEqual(back.source, {});
    assert.equal(back.metadata.creationTimestamp, null);
    assert.ok(!('count' in back), 'count is an int32 with omitempty: a zero is unset');
    // A Deployment's replicas is *int32: zero is a value.
    const d = scheme.protobuf.decodeObject(scheme.protobuf.encodeObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 0 } }));
    goShapes.writeObject(d);
    assert.equal(d.spec.replicas, 0);
    assert.deepEqual(d.status, {});
    assert.equal(d.spec.template.metadata.creationTimestamp, null);
    assert.equal(d.spec.selector, null);
  });
});

describe('shape passes', () => {
  const shape = goShapes.forKind('apps/v1', 'Deployment')!;
  it('read unsets nulls and non-pointer zeros, keeps pointer zeros and empty lists (Go tells [] from nil)', () => {
    const obj = { metadata: { name: 'x', labels: {}, managedFields: [] }, spec: { replicas: 0, paused: false, minReadySeconds: 0, strategy: null, template: { spec: { nodeName: '', containers: [{ name: 'c', args: [] }] } } } };
    shape.read(obj);
    assert.deepEqual(obj, { metadata: { name: 'x', labels: {}, managedFields: [] }, spec: { replicas: 0, template: { spec: { containers: [{ name: 'c', args: [] }] } } } });
  });
  it('encode leaves out the empty lists and maps omitempty omits, and keeps those Go always writes', () => {
    const obj = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x', labels: {}, finalizers: [] }, rules: [{ verbs: [], apiGroups: [] }] };
    goShapes.writeObject(obj);
    assert.deepEqual(obj, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x', creationTimestamp: null }, rules: [{ verbs: [] }] });
  });
  it('write fills what Go always writes', () => {
    const obj: Record<string, unknown> = { spec: { template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } } } };
    shape.write(obj);
    assert.deepEqual(obj, {
      metadata: { creationTimestamp: null },
      spec: {
        selector: null,
        strategy: {},
        template: { metadata: { creationTimestamp: null }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }], resources: {} }] } },
      },
      status: {},
    });
  });
  it('custom kinds have no shape', () => {
    assert.equal(goShapes.forKind('example.com/v1', 'Deployment'), undefined);
  });
  it('objects stored without the shape are read in it', () => {
    const value = new TextEncoder().encode(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old' } }));
    const obj = decodeObject({ key: '/registry/configmaps/default/old', value, modRevision: 7, createRevision: 7, version: 1 } as Parameters<typeof decodeObject>[0]);
    assert.deepEqual(obj.metadata, { name: 'old', creationTimestamp: null, resourceVersion: '7' });
  });
});
