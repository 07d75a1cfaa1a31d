import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FieldSet, ValidationErrors, apply, fieldElement as f, keyElement, newCRDTypeConverter, typed, update, type TypeRef } from '../../runtime/fieldmanager/smd/index.ts';
import { builtinConverter, kindType } from './smd-support.ts';

const deploymentType = kindType('apps', 'v1', 'Deployment');

/** The Deployment of the server-side apply docs. */
const nginx = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx-deployment', labels: { app: 'nginx' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.14.2', ports: [{ containerPort: 80 }] }] },
    },
  },
});

describe('smd schema from the generated OpenAPI', () => {
  it('gives containers a map list keyed by name, LabelSelector an atomic struct, nodeSelector an atomic map', () => {
    const spec = deploymentType.atom.map!.fields.get('spec')!.type.atom;
    const selector = spec.map!.fields.get('selector')!.type.atom;
    assert.equal(selector.map!.relationship, 'atomic');
    const podSpec = spec.map!.fields.get('template')!.type.atom.map!.fields.get('spec')!.type.atom;
    const containers = podSpec.map!.fields.get('containers')!.type.atom.list!;
    assert.equal(containers.relationship, 'associative');
    assert.deepEqual(containers.keys, ['name']);
    assert.equal(podSpec.map!.fields.get('nodeSelector')!.type.atom.map!.relationship, 'atomic');
    const ports = containers.elementType.atom.map!.fields.get('ports')!.type.atom.list!;
    assert.deepEqual(ports.keys, ['containerPort', 'protocol']);
    // Quantities and int-or-strings take any scalar.
    const resources = containers.elementType.atom.map!.fields.get('resources')!.type.atom;
    assert.equal(resources.map!.fields.get('limits')!.type.atom.map!.elementType!.atom.scalar, 'untyped');
  });

  it('lets a field override the map type of the struct it refers to (PersistentVolume claimRef)', () => {
    const pv = kindType('', 'v1', 'PersistentVolume');
    const claimRef = pv.atom.map!.fields.get('spec')!.type.atom.map!.fields.get('claimRef')!.type.atom;
    assert.equal(claimRef.map!.relationship, 'separable');
    const sa = kindType('', 'v1', 'ServiceAccount');
    assert.equal(sa.atom.map!.fields.get('secrets')!.type.atom.list!.elementType.atom.map!.relationship, 'atomic');
  });

  it('owns a ControllerRevision\'s data (a RawExtension) whole, and a managed fields entry\'s fieldsV1 per key under its atomic list', () => {
    // kube-openapi gives RawExtension an untyped atom of its own: one field, whatever the object holds.
    const revision = kindType('apps', 'v1', 'ControllerRevision');
    const set = typed({ data: { spec: { a: 1, b: [1, 2] } }, revision: 1 }, revision).toFieldSet();
    assert.equal(set.toFieldsV1String(), '{"f:data":{},"f:revision":{}}');
    // FieldsV1 is an object of any fields, as it was inline; managedFields is atomic, so nobody owns inside it.
    const entry = kindType('', 'v1', 'ConfigMap').atom.map!.fields.get('metadata')!.type.atom.map!.fields.get('managedFields')!.type.atom.list!;
    assert.equal(entry.relationship, 'atomic');
    const fieldsV1 = entry.elementType.atom.map!.fields.get('fieldsV1')!.type.atom;
    assert.equal(fieldsV1.name, 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1');
    assert.deepEqual([fieldsV1.map!.fields.size, fieldsV1.map!.relationship, fieldsV1.map!.elementType!.atom.name], [0, 'separable', '__untyped_deduced_']);
  });

  it('caches types: the same definition resolves to the same atom', () => {
    assert.equal(builtinConverter().typeForKind('apps', 'v1', 'Deployment')!.atom, deploymentType.atom);
  });
});

describe('smd typed values', () => {
  it('record what kubectl apply --server-side of the docs Deployment owns', () => {
    const set = typed(nginx(), deploymentType).toFieldSet();
    assert.equal(
      set.toFieldsV1String(),
      '{"f:apiVersion":{},"f:kind":{},"f:metadata":{"f:labels":{"f:app":{}},"f:name":{}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}',
    );
  });

  it('record what kubectl create deployment owns, from Go zero values as the live object', () => {
    // Upstream compares the created object with the kind's zero value (non-pointer structs present), so new maps
    // and pointer structs get "." entries and empty structs are leaves.
    const zero = { metadata: {}, spec: { selector: null, strategy: {}, template: { metadata: {}, spec: { containers: null } } }, status: {} };
    const created = {
      metadata: { name: 'nginx', labels: { app: 'nginx' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'nginx' } },
        template: {
          metadata: { labels: { app: 'nginx' } },
          spec: {
            containers: [{ name: 'nginx', image: 'nginx', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' }],
            restartPolicy: 'Always',
            terminationGracePeriodSeconds: 30,
            dnsPolicy: 'ClusterFirst',
            securityContext: {},
            schedulerName: 'default-scheduler',
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {},
    };
    const r = update(typed(zero, deploymentType), typed(created, deploymentType), 'apps/v1', new Map(), 'kubectl-create');
    assert.equal(
      r.managers.get('kubectl-create')!.set.toFieldsV1String(),
      '{"f:metadata":{"f:labels":{".":{},"f:app":{}},"f:name":{}},"f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},"f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}}}',
    );
  });

  it('record the docs ConfigMap apply as upstream shows it once metadata identity is stripped', () => {
    const cm = kindType('', 'v1', 'ConfigMap');
    // Upstream's field manager never records apiVersion, kind, name and namespace (its stripMeta step).
    const stripped = FieldSet.fromPaths([[f('apiVersion')], [f('kind')], [f('metadata'), f('name')], [f('metadata'), f('namespace')]]);
    const config = typed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'test-cm', namespace: 'default', labels: { 'test-label': 'test' } }, data: { key: 'some value' } }, cm);
    const r = apply(typed(null, cm), config, 'v1', new Map(), 'kubectl', false, { ignored: stripped });
    assert.equal(r.managers.get('kubectl')!.set.toFieldsV1String(), '{"f:data":{"f:key":{}},"f:metadata":{"f:labels":{"f:test-label":{}}}}');
  });

  it('key Service ports by port and protocol (defaulted) and own the selector whole', () => {
    const svc = kindType('', 'v1', 'Service');
    const set = typed({ spec: { selector: { 'app.kubernetes.io/name': 'MyApp' }, ports: [{ port: 80, targetPort: 9376 }] } }, svc).toFieldSet();
    assert.equal(set.toFieldsV1String(), '{"f:spec":{"f:ports":{"k:{\\"port\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:port":{},"f:targetPort":{}}},"f:selector":{}}}');
  });

  it('key a Pod\'s env by name, volume mounts by mountPath, and keep tolerations and nodeSelector atomic', () => {
    const pod = kindType('', 'v1', 'Pod');
    const set = typed(
      { spec: { containers: [{ name: 'c', env: [{ name: 'A', value: '1' }], volumeMounts: [{ name: 'v', mountPath: '/m' }] }], volumes: [{ name: 'v', configMap: { name: 'cm' } }], tolerations: [{ key: 'k', operator: 'Exists' }], nodeSelector: { a: 'b' } } },
      pod,
    ).toFieldSet();
    assert.equal(
      set.toFieldsV1String(),
      '{"f:spec":{"f:containers":{"k:{\\"name\\":\\"c\\"}":{".":{},"f:env":{"k:{\\"name\\":\\"A\\"}":{".":{},"f:name":{},"f:value":{}}},"f:name":{},"f:volumeMounts":{"k:{\\"mountPath\\":\\"/m\\"}":{".":{},"f:mountPath":{},"f:name":{}}}}},"f:nodeSelector":{},"f:tolerations":{},"f:volumes":{"k:{\\"name\\":\\"v\\"}":{".":{},"f:configMap":{"f:name":{}},"f:name":{}}}}}',
    );
  });

  it('validate duplicate keys, keyless items and wrong scalar types with upstream messages', () => {
    const d = nginx();
    d.spec.template.spec.containers.push({ name: 'nginx', image: 'x', ports: [] });
    assert.deepEqual(typed(d, deploymentType).validate(), [{ path: '.spec.template.spec.containers', message: 'duplicate entries for key [name="nginx"]' }]);
    assert.deepEqual(typed(d, deploymentType).validate({ allowDuplicates: true }), []);
    const keyless = nginx() as any;
    keyless.spec.template.spec.containers = [{ image: 'x' }];
    assert.deepEqual(typed(keyless, deploymentType).validate(), [
      { path: '.spec.template.spec.containers', message: 'element 0: associative list with keys has an element that omits all key fields ["name"] (and doesn\'t have default values for any key fields)' },
    ]);
    const wrong = nginx() as any;
    wrong.spec.replicas = 'three';
    wrong.metadata.finalizers = ['a', 'a'];
    wrong.spec.bogus = 1;
    assert.deepEqual(
      typed(wrong, deploymentType).validate().map((e) => `${e.path}: ${e.message}`),
      ['.metadata.finalizers: duplicate entries for key [="a"]', '.spec.replicas: expected numeric (int or float), got string', '.spec.bogus: field not declared in schema'],
    );
    assert.throws(() => typed(nginx(), deploymentType).merge(typed(d, deploymentType)), (e: unknown) => e instanceof ValidationErrors && /duplicate entries for key \[name="nginx"\]/.test(e.message));
  });

  it('compare two values into added, modified and removed fields', () => {
    const a = nginx();
    const b = nginx() as any;
    b.spec.replicas = 5;
    b.metadata.labels.tier = 'web';
    delete b.spec.template.spec.containers[0].ports;
    b.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox' });
    const c = typed(a, deploymentType).compare(typed(b, deploymentType));
    const paths = (s: FieldSet) => s.toString().split('\n').filter(Boolean);
    assert.deepEqual(paths(c.modified), ['.spec.replicas']);
    assert.deepEqual(paths(c.added), ['.metadata.labels.tier', '.spec.template.spec.containers[name="sidecar"]', '.spec.template.spec.containers[name="sidecar"].image', '.spec.template.spec.containers[name="sidecar"].name']);
    assert.deepEqual(paths(c.removed), [
      '.spec.template.spec.containers[name="nginx"].ports',
      '.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"]',
      '.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"].containerPort',
    ]);
  });

  it('merge: atomic parts are replaced, map lists merged by key, maps per entry', () => {
    const live = nginx() as any;
    live.spec.selector.matchLabels.extra = 'x';
    live.metadata.labels.tier = 'web';
    live.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox' });
    const config = { spec: { selector: { matchLabels: { app: 'nginx' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.16' }] } } }, metadata: { labels: { app: 'web' } } };
    const out = typed(live, deploymentType).merge(typed(config, deploymentType)).value as any;
    assert.deepEqual(out.spec.selector, { matchLabels: { app: 'nginx' } });
    assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'web' });
    assert.deepEqual(out.spec.template.spec.containers, [
      { name: 'nginx', image: 'nginx:1.16', ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'busybox' },
    ]);
  });

  it('merge list order as upstream: live-only items stay, shared items follow the applied order', () => {
    const finalizers = (live: string[], applied: string[]) =>
      (typed({ metadata: { finalizers: live } }, deploymentType).merge(typed({ metadata: { finalizers: applied } }, deploymentType)).value as any).metadata.finalizers;
    assert.deepEqual(finalizers(['a', 'b', 'c'], ['c', 'a']), ['b', 'c', 'a']);
    assert.deepEqual(finalizers(['a', 'b'], ['x', 'b']), ['a', 'x', 'b']);
    assert.deepEqual(finalizers(['a', 'b'], ['b', 'x']), ['a', 'b', 'x']);
    assert.deepEqual(finalizers(['a'], ['x', 'y']), ['a', 'x', 'y']);
    assert.deepEqual(finalizers(['a', 'b', 'c', 'd'], ['d', 'b']), ['a', 'c', 'd', 'b']);
    // Atomic lists are replaced.
    const args = (typed({ spec: { template: { spec: { containers: [{ name: 'c', args: ['1', '2'] }] } } } }, deploymentType).merge(
      typed({ spec: { template: { spec: { containers: [{ name: 'c', args: ['3'] }] } } } }, deploymentType),
    ).value as any).spec.template.spec.containers[0].args;
    assert.deepEqual(args, ['3']);
  });

  it('remove and extract items by field set', () => {
    const d = typed(nginx(), deploymentType);
    const set = FieldSet.fromPaths([
      [f('metadata'), f('labels'), f('app')],
      [f('spec'), f('template'), f('spec'), f('containers'), keyElement({ name: 'nginx' }), f('ports')],
    ]);
    const removed = d.removeItems(set).value as any;
    assert.equal(removed.metadata.labels, undefined);
    assert.deepEqual(removed.spec.template.spec.containers, [{ name: 'nginx', image: 'nginx:1.14.2' }]);
    const extracted = d.extractItems(set.union(FieldSet.fromPaths([[f('spec'), f('template'), f('spec'), f('containers'), keyElement({ name: 'nginx' }), f('name')]]))).value;
    assert.deepEqual(extracted, { metadata: { labels: { app: 'nginx' } }, spec: { template: { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 80 }] }] } } } });
    // Everything a value owns extracts the value itself.
    assert.deepEqual(d.extractItems(d.toFieldSet()).value, nginx());
  });
});

describe('smd custom resource schemas', () => {
  const schema = {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }] },
      spec: {
        type: 'object',
        properties: {
          cronSpec: { type: 'string' },
          port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
          hosts: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
          routes: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['path'], items: { type: 'object', properties: { path: { type: 'string' }, weight: { type: 'integer' } } } },
          args: { type: 'array', items: { type: 'string' } },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
          selector: { type: 'object', 'x-kubernetes-map-type': 'atomic', additionalProperties: { type: 'string' } },
        },
      },
    },
    'x-kubernetes-group-version-kind': [{ group: 'stable.example.com', version: 'v1', kind: 'CronTab' }],
  } as const;
  const tc = newCRDTypeConverter('com.example.stable.v1.CronTab', schema as any, { base: builtinConverter() });
  const t: TypeRef = tc.typeForKind('stable.example.com', 'v1', 'CronTab')!;

  it('build list, map and untyped types from the structural schema', () => {
    const obj = {
      apiVersion: 'stable.example.com/v1',
      kind: 'CronTab',
      metadata: { name: 'c', labels: { a: 'b' } },
      spec: { cronSpec: '* * * * */5', port: 8080, hosts: ['a', 'b'], routes: [{ path: '/', weight: 1 }], args: ['x'], extra: { free: { form: 1 } }, template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { any: 'thing' } }, selector: { k: 'v' } },
    };
    const tv = typed(obj, t);
    assert.deepEqual(tv.validate(), []);
    assert.equal(
      tv.toFieldSet().toFieldsV1String(),
      '{"f:apiVersion":{},"f:kind":{},"f:metadata":{"f:labels":{"f:a":{}},"f:name":{}},"f:spec":{"f:args":{},"f:cronSpec":{},"f:extra":{"f:free":{".":{},"f:form":{}}},"f:hosts":{"v:\\"a\\"":{},"v:\\"b\\"":{}},"f:port":{},"f:routes":{"k:{\\"path\\":\\"/\\"}":{".":{},"f:path":{},"f:weight":{}}},"f:selector":{},"f:template":{"f:apiVersion":{},"f:kind":{},"f:metadata":{"f:name":{}},"f:spec":{".":{},"f:any":{}}}}}',
    );
    assert.deepEqual(typed({ spec: { port: 'http' } }, t).validate(), []);
    assert.deepEqual(typed({ spec: { hosts: ['a', 'a'] } }, t).validate(), [{ path: '.spec.hosts', message: 'duplicate entries for key [="a"]' }]);
  });

  it('give a raw openAPIV3Schema (metadata a bare object) ObjectMeta, as the published schema has', () => {
    const raw = { type: 'object', properties: { metadata: { type: 'object' }, spec: { type: 'object', properties: { n: { type: 'integer' } } } } };
    const rt = newCRDTypeConverter('com.example.v1.Raw', raw as any, { base: builtinConverter() }).type('com.example.v1.Raw')!;
    const set = typed({ apiVersion: 'example.com/v1', kind: 'Raw', metadata: { name: 'r', ownerReferences: [{ uid: 'u', name: 'o', kind: 'K', apiVersion: 'v1' }] }, spec: { n: 1 } }, rt).toFieldSet();
    assert.equal(set.toFieldsV1String(), '{"f:apiVersion":{},"f:kind":{},"f:metadata":{"f:name":{},"f:ownerReferences":{"k:{\\"uid\\":\\"u\\"}":{}}},"f:spec":{"f:n":{}}}');
  });
});

describe('smd with hostile keys', () => {
  it('treats constructor, toString and __proto__ as plain keys', () => {
    const t = kindType('', 'v1', 'ConfigMap');
    const live = JSON.parse('{"data":{"a":"1","__proto__":"p"}}');
    const config = JSON.parse('{"data":{"constructor":"c","toString":"s","__proto__":"q"}}');
    const merged = typed(live, t).merge(typed(config, t)).value as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(merged.data), ['a', '__proto__', 'constructor', 'toString']);
    assert.equal(JSON.stringify(merged), '{"data":{"a":"1","__proto__":"q","constructor":"c","toString":"s"}}');
    assert.equal(Object.getPrototypeOf(merged.data), Object.prototype);
    const c = typed(live, t).compare(typed(config, t));
    assert.deepEqual(c.added.toString().split('\n'), ['.data.constructor', '.data.toString']);
    assert.deepEqual(c.removed.toString().split('\n'), ['.data.a']);
    assert.deepEqual(c.modified.toString().split('\n'), ['.data.__proto__']);
    const removed = typed(merged, t).removeItems(FieldSet.fromPaths([[f('data'), f('a')]])).value;
    assert.equal(JSON.stringify(removed), '{"data":{"__proto__":"q","constructor":"c","toString":"s"}}');
  });
});
