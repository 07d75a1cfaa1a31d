// Updates of Ingresses, NetworkPolicies and CSIStorageCapacities that an older server stored with values v1.32
// refuses (upstream's ValidateIngressUpdate with AllowInvalidSecretName / AllowInvalidWildcardHostRule,
// ValidationOptionsForNetworking and the CSIStorageCapacity strategy with AllowInvalidLabelValueInSelector): the
// stored object stays updatable, a new one is still refused. This server
// never stores such objects itself, so no request can set the scene: checked here against the validators.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate_Ingress, validate_NetworkPolicy } from '../../apis/networking.k8s.io/v1/validation.ts';
import type { Ingress } from '../../apis/networking.k8s.io/v1/ingress.ts';
import type { NetworkPolicy } from '../../apis/networking.k8s.io/v1/networkpolicy.ts';
import { validate_CSIStorageCapacity } from '../../apis/storage.k8s.io/v1/validation.ts';
import type { CSIStorageCapacity } from '../../apis/storage.k8s.io/v1/csistoragecapacity.ts';
import { fieldErrorMessage } from '../../runtime/machinery/field-errors.ts';

const backend = { service: { name: 'web', port: { number: 80 } } };
const messages = (errors: ReturnType<typeof validate_Ingress>) => errors.map(fieldErrorMessage);

test('an Ingress stored with an invalid TLS secret name can be updated; a new one cannot be created', () => {
  const stored: Ingress = { spec: { defaultBackend: backend, tls: [{ secretName: 'Old_Secret' }] } };
  const updated: Ingress = { spec: { defaultBackend: backend, tls: [{ secretName: 'Old_Secret' }, { secretName: 'New_Secret' }] } };
  assert.deepEqual(validate_Ingress(updated, stored), []);
  assert.deepEqual(messages(validate_Ingress(updated)).map((m) => m.split(': ')[0]), ['spec.tls[0].secretName', 'spec.tls[1].secretName']);
});

test('an Ingress stored with a wildcard-host rule without paths can be updated; other rules are still checked', () => {
  const stored: Ingress = { spec: { rules: [{ host: '*.example.com', http: { paths: [] } }] } };
  const updated: Ingress = { spec: { rules: [{ host: '*.example.com', http: { paths: [] } }, { host: 'a.example.com', http: { paths: [] } }] } };
  assert.deepEqual(messages(validate_Ingress(updated, stored)), ['spec.rules[1].http.paths: Required value']);
  assert.deepEqual(messages(validate_Ingress(updated)), ['spec.rules[0].http.paths: Required value', 'spec.rules[1].http.paths: Required value']);
});

test('a NetworkPolicy stored with an invalid label value in its pod selector lets invalid values pass in every selector', () => {
  const bad = { matchExpressions: [{ key: 'app', operator: 'In', values: ['not valid!'] }] };
  const stored: NetworkPolicy = { spec: { podSelector: bad } };
  const updated: NetworkPolicy = { spec: { podSelector: bad, ingress: [{ from: [{ namespaceSelector: bad }] }] } };
  assert.deepEqual(validate_NetworkPolicy(updated, stored), []);
  assert.deepEqual(
    validate_NetworkPolicy(updated, { spec: { podSelector: {} } }).map((e) => e.field),
    ['spec.podSelector.matchExpressions[0].values[0]', 'spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values[0]'],
  );
});

test('a CSIStorageCapacity stored with an invalid label value in its node topology can be updated', () => {
  const topology = { matchExpressions: [{ key: 'zone', operator: 'In', values: ['not valid!'] }] };
  const stored: CSIStorageCapacity = { storageClassName: 'fast', nodeTopology: topology };
  const updated: CSIStorageCapacity = { storageClassName: 'fast', nodeTopology: topology, capacity: '10Gi' };
  assert.deepEqual(validate_CSIStorageCapacity(updated, stored), []);
  assert.deepEqual(validate_CSIStorageCapacity(updated).map((e) => e.field), ['nodeTopology.matchExpressions[0].values[0]']);
});
