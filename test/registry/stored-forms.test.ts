/**
 * CustomResourceDefinitions are stored in apiextensions.k8s.io/v1beta1, as kube-apiserver v1.32 stores them:
 * upstream's conversions (k8s.io/apiextensions-apiserver pkg/apis/apiextensions/{v1,v1beta1}/conversion.go and
 * v1beta1 defaults) in both directions, and v1 objects survive the round trip.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crdFromV1beta1, crdToV1beta1 } from '../../runtime/registry/stored-forms/customresourcedefinition-v1beta1.ts';

const schema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' } } } } } };
const columns = [{ name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' }];

function v1(versions: object[], conversion: object = { strategy: 'None' }) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com', uid: 'u1', finalizers: ['customresourcecleanup.apiextensions.k8s.io'] },
    spec: { group: 'stable.example.com', names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList' }, scope: 'Namespaced', versions, conversion },
    status: { acceptedNames: { plural: 'crontabs', kind: 'CronTab' }, storedVersions: ['v1'] },
  };
}

test('alike per-version fields move to spec (validation, subresources, columns with JSONPath); version is the first', () => {
  const crd = v1([
    { name: 'v1', served: true, storage: true, schema, subresources: { status: {} }, additionalPrinterColumns: columns },
    { name: 'v2', served: true, storage: false, schema, subresources: { status: {} }, additionalPrinterColumns: columns },
  ]);
  const stored = crdToV1beta1(crd);
  assert.equal(stored.apiVersion, 'apiextensions.k8s.io/v1beta1');
  assert.deepEqual(stored.spec, {
    group: 'stable.example.com',
    version: 'v1',
    names: crd.spec.names,
    scope: 'Namespaced',
    validation: schema,
    subresources: { status: {} },
    versions: [
      { name: 'v1', served: true, storage: true },
      { name: 'v2', served: true, storage: false },
    ],
    additionalPrinterColumns: [{ name: 'Spec', type: 'string', JSONPath: '.spec.cronSpec' }],
    conversion: { strategy: 'None' },
    preserveUnknownFields: false,
  });
  assert.deepEqual(crdFromV1beta1(stored), crd);
});

test('different per-version fields stay per version; a webhook conversion is flattened and restored', () => {
  const conversion = { strategy: 'Webhook', webhook: { clientConfig: { url: 'https://conv.example.com/convert', caBundle: 'Y2E=' }, conversionReviewVersions: ['v1', 'v1beta1'] } };
  const crd = v1(
    [
      { name: 'v1', served: true, storage: true, schema, additionalPrinterColumns: columns },
      { name: 'v2', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
    ],
    conversion,
  );
  const stored = crdToV1beta1(crd);
  assert.equal(stored.spec.validation, undefined);
  assert.equal(stored.spec.additionalPrinterColumns, undefined);
  assert.deepEqual(stored.spec.versions[0].additionalPrinterColumns, [{ name: 'Spec', type: 'string', JSONPath: '.spec.cronSpec' }]);
  assert.deepEqual(stored.spec.conversion, { strategy: 'Webhook', webhookClientConfig: conversion.webhook.clientConfig, conversionReviewVersions: ['v1', 'v1beta1'] });
  assert.deepEqual(crdFromV1beta1(stored), crd);
});

test('a v1beta1 CRD with only v1beta1 fields gets v1beta1 defaults', () => {
  const got = crdFromV1beta1({
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'olds.example.com' },
    spec: { group: 'example.com', version: 'v1alpha1', names: { plural: 'olds', kind: 'Old' }, validation: schema, conversion: { strategy: 'Webhook', webhookClientConfig: { url: 'https://x/' } } },
    status: { acceptedNames: { plural: 'olds', kind: 'Old' } },
  });
  assert.deepEqual(got.spec, {
    group: 'example.com',
    names: { plural: 'olds', kind: 'Old' },
    scope: 'Namespaced',
    versions: [{ name: 'v1alpha1', served: true, storage: true, schema }],
    conversion: { strategy: 'Webhook', webhook: { clientConfig: { url: 'https://x/' }, conversionReviewVersions: ['v1beta1'] } },
    preserveUnknownFields: true,
  });
  assert.deepEqual(got.status.storedVersions, ['v1alpha1']);
});
