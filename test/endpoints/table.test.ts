// Server-side Tables as kubectl get reads them: columns, cells, row objects, ages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, toTable } from '../../runtime/endpoints/table.ts';
import { ConfigMap, Namespace, ServiceAccount } from '../../generated/core/v1/register.ts';
import { groupVersions } from '../../generated/index.ts';
import { Deployment, WidgetV1 } from './fixtures.ts';

const now = new Date('2024-06-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('humanDuration follows upstream duration.HumanDuration', () => {
  const cases: Array<[number, string]> = [
    [-3 * S, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [5 * S, '5s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [3 * M + 20 * S, '3m20s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H + 30 * M, '8h'],
    [47 * H, '47h'],
    [48 * H, '2d'],
    [2 * D + 4 * H, '2d4h'],
    [7 * D + 5 * H, '7d5h'],
    [8 * D, '8d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [3 * 365 * D + 4 * D, '3y4d'],
    [9 * 365 * D, '9y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

test('ConfigMap table: Name, Data (entry count), Age; PartialObjectMetadata rows', () => {
  const cm = (name: string, data: Record<string, string> | undefined, age: number) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', creationTimestamp: ago(age), resourceVersion: '7' },
    ...(data ? { data } : {}),
  });
  const t = toTable(ConfigMap, [cm('a', { x: '1', y: '2' }, 5 * S), cm('b', undefined, 3 * D + 2 * H)], { includeObject: 'Metadata', now }, { resourceVersion: '42', continue: 'tok', remainingItemCount: 3 });
  assert.equal(t.kind, 'Table');
  assert.equal(t.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(t.metadata, { resourceVersion: '42', continue: 'tok', remainingItemCount: 3 });
  assert.deepEqual(
    t.columnDefinitions!.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Data', 'string', '', 0],
      ['Age', 'string', '', 0],
    ],
  );
  for (const c of t.columnDefinitions!) assert.equal(typeof c.description, 'string');
  assert.deepEqual(
    t.rows.map((r) => r.cells),
    [
      ['a', 2, '5s'],
      ['b', 0, '3d2h'],
    ],
  );
  assert.deepEqual(t.rows[0].object, {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { name: 'a', namespace: 'default', creationTimestamp: ago(5 * S), resourceVersion: '7' },
  });
});

test('includeObject Object/None, noHeaders, missing timestamps, empty continue omitted', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' }, status: { phase: 'Active' } };
  const full = toTable(Namespace, [ns], { includeObject: 'Object', now }, { resourceVersion: '9', continue: '' });
  assert.deepEqual(full.metadata, { resourceVersion: '9' });
  assert.equal(full.rows[0].object, ns);
  assert.deepEqual(full.rows[0].cells, ['kube-system', 'Active', '<unknown>']);

  const none = toTable(Namespace, [ns], { includeObject: 'None', noHeaders: true, now });
  assert.equal(none.columnDefinitions, null);
  assert.ok(!('object' in none.rows[0]));
  assert.deepEqual(none.metadata, {});

  const empty = toTable(Namespace, [], { includeObject: 'Metadata', now }, { resourceVersion: '1' });
  assert.deepEqual(empty.rows, []);
  assert.equal(empty.columnDefinitions!.length, 3);
});

test('built-in kinds print absent fields as zero values and count lists', () => {
  const sa = { metadata: { name: 'default', creationTimestamp: ago(2 * M + 5 * S) }, secrets: [{ name: 'a' }, { name: 'b' }] };
  assert.deepEqual(toTable(ServiceAccount, [sa], { includeObject: 'None', now }).rows[0].cells, ['default', 2, '2m5s']);
  const ns = { metadata: { name: 'x', creationTimestamp: ago(0) } };
  assert.deepEqual(toTable(Namespace, [ns], { includeObject: 'None', now }).rows[0].cells, ['x', '', '0s']);

  const d = {
    metadata: { name: 'web', creationTimestamp: ago(9 * D) },
    spec: { replicas: 3, template: { spec: { containers: [{ image: 'nginx:1.27' }] } } },
    status: { readyReplicas: 2 },
  };
  const t = toTable(Deployment, [d], { includeObject: 'None', now });
  assert.deepEqual(
    t.columnDefinitions!.map((c) => [c.name, c.priority, c.description]),
    [
      ['Name', 0, t.columnDefinitions![0].description],
      ['Ready', 0, 'Ready replicas.'],
      ['Replicas', 0, 'Wanted replicas.'],
      ['Images', 1, 'First image.'],
      ['Age', 0, t.columnDefinitions![4].description],
    ],
  );
  assert.deepEqual(t.rows[0].cells, ['web', '2', 3, 'nginx:1.27', '9d']);
});

test('custom resources: absent cells are null, date columns print as ages, only the CRD columns are printed', () => {
  const w = {
    metadata: { name: 'w1', creationTimestamp: ago(26 * H), labels: { 'example.com/tier': 'gold' } },
    spec: { color: 'red', parts: { a: 1, b: 2, c: 3 } },
    status: { builtAt: ago(90 * S) },
  };
  const bare = { metadata: { name: 'w2', creationTimestamp: ago(30 * S) } };
  const t = toTable(WidgetV1, [w, bare], { includeObject: 'Metadata', now });
  assert.deepEqual(
    t.columnDefinitions!.map((c) => [c.name, c.type]),
    [
      ['Name', 'string'],
      ['Color', 'string'],
      ['Parts', 'integer'],
      ['Label', 'string'],
      ['Built', 'date'],
    ],
  );
  assert.deepEqual(t.rows[0].cells, ['w1', 'red', 3, 'gold', '90s']);
  assert.deepEqual(t.rows[1].cells, ['w2', null, null, null, null]);
});

test('no second Age column when the kind declares one', () => {
  const kind = { ...WidgetV1, printColumns: [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'age', priority: 0 }] };
  const t = toTable(kind, [{ metadata: { name: 'a', creationTimestamp: ago(4 * M) } }], { includeObject: 'None', now });
  assert.deepEqual(
    t.columnDefinitions!.map((c) => c.name),
    ['Name', 'Age'],
  );
  assert.deepEqual(t.rows[0].cells, ['a', '4m']);
});

test('string columns print non-strings as text; objects as JSON', () => {
  const kind = {
    ...WidgetV1,
    printColumns: [
      { name: 'Spec', type: 'string', jsonPath: '.spec', description: '', priority: 0 },
      { name: 'N', type: 'string', jsonPath: '.spec.n', description: '', priority: 0 },
      { name: 'Ok', type: 'boolean', jsonPath: '.spec.ok', description: '', priority: 0 },
      { name: 'Bad', type: 'string', jsonPath: '.spec[*]', description: '', priority: 0 },
    ],
  };
  const t = toTable(kind, [{ metadata: { name: 'a' }, spec: { n: 5, ok: true } }], { includeObject: 'None', now });
  assert.deepEqual(t.rows[0].cells, ['a', '{"n":5,"ok":true}', '5', true, null]);
});

test('every column of a built-in kind says what it shows, as upstream\'s printers describe each of theirs', () => {
  const undescribed = groupVersions.flatMap((gv) =>
    gv.kinds
      .filter((k) => k.resource)
      .flatMap((k) => toTable(k, [], { includeObject: 'None', now }).columnDefinitions!.filter((c) => !c.description.trim()).map((c) => `${gv.group || 'core'}/${gv.version} ${k.kind} ${c.name}`)),
  );
  assert.deepEqual(undescribed, []);
});

test('Name and Age are described by the ObjectMeta fields they show, whether a kind declares its Age column or not', () => {
  const deployment = groupVersions.find((gv) => gv.group === 'apps' && gv.version === 'v1')!.kinds.find((k) => k.kind === 'Deployment')!;
  assert.ok(deployment.printColumns.some((c) => c.name === 'Age'), 'Deployment declares its Age column');
  const described = (kind: typeof deployment) =>
    Object.fromEntries(toTable(kind, [], { includeObject: 'None', now }).columnDefinitions!.filter((c) => c.name === 'Name' || c.name === 'Age').map((c) => [c.name, c.description]));
  const expected = { Name: described(ConfigMap).Name, Age: described(ConfigMap).Age };
  assert.match(expected.Name, /^Name of the object/);
  assert.match(expected.Age, /created/);
  assert.deepEqual(described(deployment), expected);
});
