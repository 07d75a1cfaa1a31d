/**
 * What the field manager keeps between writes so as not to redo it (decoded entry sets, manager identifiers, short
 * sorts) must never show: each write's managedFields are what working them out afresh gives.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addToScheme } from '../../generated/index.ts';
import { fieldManagerFor, useScheme } from '../../runtime/fieldmanager/index.ts';
import { managerIdentifier, parseIdentifier } from '../../runtime/fieldmanager/managed-fields.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { sortShort } from '../../runtime/machinery/order.ts';

const scheme = new Scheme();
addToScheme(scheme);
useScheme(scheme);
const configMaps = fieldManagerFor(scheme.kindFor('', 'v1', 'ConfigMap')!, '')!;

type Obj = Record<string, any>;
const entry = (manager: string, fieldsV1: object) => ({ manager, operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1 });
const stored = (name: string): Obj => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, managedFields: [entry('creator', { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } })] },
  data: { a: '1', b: '2' },
});
const fieldsOf = (obj: Obj) => Object.fromEntries(obj.metadata.managedFields.map((e: Obj) => [e.manager, JSON.stringify(e.fieldsV1)]));

describe('field manager state kept between writes', () => {
  it('objects with the same entries do not share what one write changes', () => {
    const a = stored('a');
    const b = stored('b');
    const newA = { ...structuredClone(a), data: { a: '1', b: 'changed' } };
    configMaps.update(a, newA, 'editor', true);
    assert.deepEqual(fieldsOf(newA), { creator: '{"f:data":{".":{},"f:a":{}}}', editor: '{"f:data":{"f:b":{}}}' });
    const newB = { ...structuredClone(b), data: { a: 'changed', b: '2' } };
    configMaps.update(b, newB, 'other', true);
    assert.deepEqual(fieldsOf(newB), { creator: '{"f:data":{".":{},"f:b":{}}}', other: '{"f:data":{"f:a":{}}}' });
    // The stored objects are read, never written.
    assert.deepEqual(a, stored('a'));
    assert.deepEqual(b, stored('b'));
  });

  it('entries sent by the client are read as sent, every time', () => {
    for (let i = 0; i < 2; i++) {
      const live = stored('c');
      const sent: Obj = { ...structuredClone(live), data: { a: '1', b: '2', c: '3' } };
      sent.metadata.managedFields = [entry('creator', { 'f:data': { '.': {}, 'f:a': {} } })];
      configMaps.update(live, sent, 'adder', true);
      assert.deepEqual(fieldsOf(sent), { creator: '{"f:data":{".":{},"f:a":{}}}', adder: '{"f:data":{"f:c":{}}}' });
    }
  });

  it('manager identifiers are the JSON of the entry fields, in their order', () => {
    for (const manager of ['kubectl', 'a"b\\c', '<&>', 'zw\u2028\u2029', 'é😀', 'ctl\u0007']) {
      for (const operation of ['Update', 'Apply']) {
        const e = { manager, operation, apiVersion: 'apps/v1', subresource: 'status' };
        const want = JSON.stringify(operation === 'Apply' ? { manager, operation, subresource: 'status' } : e);
        assert.equal(managerIdentifier(e), want);
        assert.deepEqual(parseIdentifier(want), JSON.parse(want));
      }
    }
    assert.equal(managerIdentifier({}), '{}');
  });

  it('sortShort orders as Array.prototype.sort, stably, at every length', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 5;
    for (let n = 0; n < 40; n++) {
      const items = Array.from({ length: n }, (_, i) => ({ key: next(), i }));
      const byKey = (x: { key: number }, y: { key: number }) => x.key - y.key;
      assert.deepEqual(sortShort([...items], byKey), [...items].sort(byKey));
    }
  });
});
