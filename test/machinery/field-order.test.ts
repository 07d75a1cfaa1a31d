/**
 * Field order: errors from several checkers are merged in the order of the kind's schema (Go's struct order), so a
 * body with several mistakes lists them as kube-apiserver's one validation walk does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Type from 'typebox';
import { fieldOrder, mergeByField, pathSegments } from '../../runtime/machinery/field-order.ts';
import type { FieldError } from '../../runtime/machinery/field-errors.ts';

const Container = Type.Object({ name: Type.String(), image: Type.Optional(Type.String()), ports: Type.Optional(Type.Array(Type.Object({ containerPort: Type.Integer(), protocol: Type.Optional(Type.String()) }))) });
const Kind = Type.Object({
  metadata: Type.Optional(Type.Object({ name: Type.Optional(Type.String()), labels: Type.Optional(Type.Record(Type.String(), Type.String())) })),
  spec: Type.Optional(Type.Object({ containers: Type.Array(Container), restartPolicy: Type.Optional(Type.String()), activeDeadlineSeconds: Type.Optional(Type.Integer()) })),
});
const error = (field: string): FieldError => ({ type: 'FieldValueInvalid', field });

describe('field order', () => {
  it('splits paths into names, indexes and map keys (keys may hold dots)', () => {
    assert.deepEqual(pathSegments('spec.containers[10].ports[0].protocol'), ['spec', 'containers', 10, 'ports', 0, 'protocol']);
    assert.deepEqual(pathSegments('metadata.labels[app.kubernetes.io/name]'), ['metadata', 'labels', 'app.kubernetes.io/name']);
    assert.deepEqual(pathSegments('spec'), ['spec']);
  });

  it('orders by declaration, then index, then key; a field before the fields under it; undeclared names last', () => {
    const paths = ['spec.activeDeadlineSeconds', 'spec.restartPolicy', 'spec.containers[1].image', 'spec.containers[0].ports[0].protocol', 'spec.containers[0].image', 'spec.containers[0]', 'spec.bogus', 'metadata.labels[b]', 'metadata.labels[a]', 'metadata.name'];
    assert.deepEqual([...paths].sort(fieldOrder(Kind)), [
      'metadata.name',
      'metadata.labels[a]',
      'metadata.labels[b]',
      'spec.containers[0]',
      'spec.containers[0].image',
      'spec.containers[0].ports[0].protocol',
      'spec.containers[1].image',
      'spec.restartPolicy',
      'spec.activeDeadlineSeconds',
      'spec.bogus',
    ]);
  });

  it('merging keeps the first list\'s own order and puts each later error before the first that comes after it', () => {
    // The first list may be out of schema order (a port of upstream's checks, in its code's order): it stays so.
    const first = [error('spec.activeDeadlineSeconds'), error('spec.containers[0].image')];
    const merged = mergeByField(first, [error('metadata.name'), error('spec.restartPolicy')], fieldOrder(Kind));
    assert.deepEqual(merged.map((e) => e.field), ['metadata.name', 'spec.restartPolicy', 'spec.activeDeadlineSeconds', 'spec.containers[0].image']);
    assert.deepEqual(mergeByField([], [error('spec.restartPolicy')], fieldOrder(Kind)).map((e) => e.field), ['spec.restartPolicy']);
  });
});
