// The check compiled from a kind's schema split by struct (schema-split.ts) passes exactly what the schema whole
// passes: for every built-in kind, on objects good and bad at every depth (a pod's container image, a projected
// volume's source, an optional struct that is no object), both compilations agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import { addToScheme } from '../../generated/index.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { splitSchema } from '../../runtime/machinery/schema-split.ts';
import { serviceAccountTokenVolume } from '../../runtime/admission/plugins/service-account.ts';

const scheme = new Scheme();
addToScheme(scheme);

const pod = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', labels: { a: 'b' } },
  spec: {
    volumes: [serviceAccountTokenVolume('kube-api-access-abcde')],
    containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '1' } }, ports: [{ containerPort: 80 }], volumeMounts: [{ name: 'kube-api-access-abcde', mountPath: '/x' }] }],
    initContainers: [{ name: 'i', image: 'busybox' }],
  },
});

/** A pod broken in one place each. */
const brokenPods: Array<[string, (p: any) => void]> = [
  ['container image a number', (p) => (p.spec.containers[0].image = 5)],
  ['init container name missing', (p) => delete p.spec.initContainers[0].name],
  ['projected source not an object', (p) => (p.spec.volumes[0].projected.sources[1] = 'x')],
  ['downward API item path a list', (p) => (p.spec.volumes[0].projected.sources[2].downwardAPI.items[0].path = [])],
  ['port a string', (p) => (p.spec.containers[0].ports[0].containerPort = 'eighty')],
  ['quantity not a quantity', (p) => (p.spec.containers[0].resources.limits.cpu = 'lots')],
  ['securityContext a string', (p) => (p.spec.securityContext = 'x')],
  ['metadata labels a list', (p) => (p.metadata.labels = ['a'])],
];

test('the split check agrees with the whole one on a pod, good and broken at each depth', () => {
  const schema = scheme.kindFor('', 'v1', 'Pod')!.schema as TSchema;
  const split = splitSchema(schema);
  assert.ok(split, 'a pod schema is split');
  assert.ok(Object.keys(split.context).length > 50);
  const whole = Compile(schema);
  const parts = Compile(split.context, split.type);
  assert.equal(parts.Check(pod()), true);
  assert.equal(whole.Check(pod()), true);
  for (const [what, breakIt] of brokenPods) {
    const p = pod();
    breakIt(p);
    assert.equal(whole.Check(p), false, what);
    assert.equal(parts.Check(p), false, what);
  }
});

test('the split check agrees with the whole one for every built-in kind', () => {
  const samples = [{}, { metadata: 5 }, { metadata: { name: 'x' }, spec: {} }, { metadata: { name: 'x' }, spec: 5 }, { metadata: { name: 'x', labels: 5 } }, { data: 5 }, { status: [] }];
  for (const gv of scheme.allGroupVersions()) {
    for (const kind of gv.kinds) {
      const schema = kind.schema as TSchema;
      const split = splitSchema(schema);
      if (!split) continue;
      const whole = Compile(schema);
      const parts = Compile(split.context, split.type);
      for (const s of samples) assert.equal(parts.Check(s), whole.Check(s), `${gv.group}/${gv.version} ${kind.kind} ${JSON.stringify(s)}`);
    }
  }
});
