/**
 * The structural schema compiler plugs into custom resource serving's schema plug-in point
 * (`structuralSchemaCompiler(compileSchema, objectMeta)`): a CRD version compiled through it validates, defaults
 * and prunes as the schema says, and metadata unknown fields are pruned as ObjectMeta's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSchema } from '../../runtime/apiextensions/schema/index.ts';
import { structuralSchemaCompiler } from '../../runtime/apiextensions/serving/schema.ts';
import type { CustomResourceDefinition } from '../../runtime/apiextensions/serving/types.ts';
import { fieldErrorMessage } from '../../runtime/machinery/field-errors.ts';
import { crdManifest } from '../support/crd.ts';

const crd = crdManifest({
  group: 'example.com',
  names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
  schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': [{ rule: 'self.replicas <= self.max', message: 'replicas over max' }],
        properties: { replicas: { type: 'integer', default: 1 }, max: { type: 'integer', default: 3 } },
      },
    },
  },
}) as unknown as CustomResourceDefinition;

describe('structural schemas plugged into serving', () => {
  const objectMeta = { type: 'object', properties: { name: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } } };
  const version = structuralSchemaCompiler(compileSchema, objectMeta)(crd, 'v1');
  it('prunes (metadata as ObjectMeta), defaults and validates', () => {
    const obj: Record<string, unknown> = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', bogus: 1 }, spec: { replicas: 5, extra: true } };
    assert.deepEqual(version.prune(obj).sort(), ['metadata.bogus', 'spec.extra']);
    version.applyDefaults(obj);
    assert.deepEqual(obj.spec, { replicas: 5, max: 3 });
    assert.deepEqual(version.validate(obj).map(fieldErrorMessage), ['spec: Invalid value: "object": replicas over max']);
  });
});
