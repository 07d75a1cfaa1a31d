/**
 * keepEntriesOfNoopUpdate: an update that changes nothing but the times of managedFields entries keeps the stored
 * entries (so it stays a no-op); any other change, the resourceVersion and the entries aside, keeps the new ones.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keepEntriesOfNoopUpdate } from '../../runtime/fieldmanager/index.ts';

const entry = (time: string) => ({ manager: 'm', operation: 'Update', apiVersion: 'v1', time, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:k': {} } } });
const stored = () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: '5', managedFields: [entry('2020-01-01T00:00:00Z')] }, data: { k: 'v' }, list: [1, { a: 2 }] });
const sent = (change: (o: ReturnType<typeof stored>) => void) => {
  const o = stored();
  o.metadata.managedFields = [entry('2021-01-01T00:00:00Z')];
  delete (o.metadata as { resourceVersion?: string }).resourceVersion;
  change(o);
  return o;
};

test('the stored entries are kept when only their times (and the resourceVersion) differ', () => {
  for (const change of [() => {}, (o: Record<string, any>) => (o.extra = undefined), (o: Record<string, any>) => (o.metadata.labels = undefined)]) {
    const current = stored();
    const obj = sent(change);
    keepEntriesOfNoopUpdate(obj, current);
    assert.equal(obj.metadata.managedFields, current.metadata.managedFields);
  }
});

test('any other change keeps the new entries', () => {
  const changes: ((o: Record<string, any>) => void)[] = [
    (o) => (o.data.k = 'w'),
    (o) => (o.data.j = 'v'),
    (o) => delete o.data.k,
    (o) => (o.list[1].a = 3),
    (o) => o.list.push(3),
    (o) => (o.list = { 0: 1, 1: { a: 2 } }),
    (o) => (o.metadata.labels = {}),
    (o) => (o.extra = null),
    (o) => (o.metadata.managedFields[0].manager = 'other'),
  ];
  for (const change of changes) {
    const current = stored();
    const obj = sent(change);
    const mine = obj.metadata.managedFields;
    keepEntriesOfNoopUpdate(obj, current);
    assert.equal(obj.metadata.managedFields, mine, String(change));
  }
});
