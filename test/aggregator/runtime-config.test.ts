/**
 * `--runtime-config` as upstream reads it: broad keys first (api/all, api/ga, api/beta, api/alpha), then group
 * versions; the core group as `api/v1`, `v1` or `api/legacy`; bad values and unknown group versions refused; group
 * versions the server needs cannot be turned off. A disabled group version leaves the Scheme.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addToScheme } from '../../generated/index.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { applyRuntimeConfig, enabledGroupVersions, validateRuntimeConfig } from '../../runtime/server/api-enablement.ts';
import { parseOptions } from '../../runtime/server/options.ts';

const registered = [
  { group: '', version: 'v1' },
  { group: 'batch', version: 'v1' },
  { group: 'apps', version: 'v1' },
  { group: 'example.io', version: 'v1beta1' },
  { group: 'example.io', version: 'v2alpha1' },
];

const on = (config: [string, string][]) => [...enabledGroupVersions(registered, config)].sort();

test('GA group versions are on by default; beta and alpha are not', () => {
  assert.deepEqual(on([]), ['apps/v1', 'batch/v1', 'v1']);
});

test('broad keys apply first, group versions after, whatever the order on the command line', () => {
  assert.deepEqual(on([['batch/v1', 'true'], ['api/all', 'false']]), ['batch/v1']);
  assert.deepEqual(on([['api/all', 'false'], ['api/v1', 'true']]), ['v1']);
  assert.deepEqual(on([['api/beta', 'true']]), ['apps/v1', 'batch/v1', 'example.io/v1beta1', 'v1']);
  assert.deepEqual(on([['api/alpha', '']]), ['apps/v1', 'batch/v1', 'example.io/v2alpha1', 'v1']);
  assert.deepEqual(on([['batch/v1', 'false']]), ['apps/v1', 'v1']);
  assert.deepEqual(on([['api/all', 'false'], ['api/legacy', 't']]), ['v1']);
});

test('bad values, keys and unknown group versions are refused', () => {
  const errors: string[] = [];
  validateRuntimeConfig([['batch/v1', 'maybe'], ['nonsense', 'true']], errors);
  assert.equal(errors.length, 2);
  assert.match(errors[0], /invalid value of batch\/v1: maybe/);
  assert.match(errors[1], /"nonsense" is not api\/all/);
  assert.throws(() => on([['nope.example.io/v1', 'true']]), /group version nope\.example\.io\/v1 that has not been registered/);
  assert.throws(() => parseOptions(['--runtime-config', 'batch/v1=perhaps']), /invalid value of batch\/v1: perhaps/);
  assert.deepEqual(parseOptions(['--runtime-config', 'batch/v1=false,api/beta=true', '--runtime-config', 'apps/v1=false']).runtimeConfig, [
    ['batch/v1', 'false'],
    ['api/beta', 'true'],
    ['apps/v1', 'false'],
  ]);
});

test('applyRuntimeConfig takes disabled group versions out of the Scheme, and keeps what the server needs', () => {
  const scheme = new Scheme();
  addToScheme(scheme);
  assert.deepEqual(applyRuntimeConfig(scheme, [['batch/v1', 'false']]), ['batch/v1']);
  assert.equal(scheme.groupVersion('batch', 'v1'), undefined);
  assert.equal(scheme.kindForResource('batch', 'v1', 'jobs'), undefined);
  assert.ok(scheme.groupVersion('apps', 'v1'));
  const full = new Scheme();
  addToScheme(full);
  assert.throws(() => applyRuntimeConfig(full, [['api/all', 'false']]), /v1 \(the core group\), apiregistration\.k8s\.io\/v1 cannot be turned off/);
  const rbac = new Scheme();
  addToScheme(rbac);
  assert.throws(() => applyRuntimeConfig(rbac, [['rbac.authorization.k8s.io/v1', 'false']], [{ group: 'rbac.authorization.k8s.io', version: 'v1' }]), /rbac\.authorization\.k8s\.io\/v1 cannot be turned off/);
});
