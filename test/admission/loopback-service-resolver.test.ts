/**
 * kube-apiserver's loopback rule for Service resolution: only Service default/kubernetes on port 443 is this server
 * (at its loopback URL, an IPv6 literal without brackets); everything else is resolved by the delegate.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServiceResolver } from '../../runtime/admission/webhook/client.ts';
import { loopbackServiceResolver } from '../../runtime/admission/webhook/service-resolver.ts';

const delegate: ServiceResolver = { resolve: async (namespace, name, port) => ({ host: `${name}.${namespace}`, port }) };

test('Service default/kubernetes port 443 resolves to the loopback URL; other ports and Services to their endpoints', async () => {
  const r = loopbackServiceResolver(delegate, 'https://127.0.0.1:6443');
  assert.deepEqual(await r.resolve('default', 'kubernetes', 443), { host: '127.0.0.1', port: 6443 });
  assert.deepEqual(await r.resolve('default', 'kubernetes', 8443), { host: 'kubernetes.default', port: 8443 });
  assert.deepEqual(await r.resolve('other', 'kubernetes', 443), { host: 'kubernetes.other', port: 443 });
  assert.deepEqual(await r.resolve('default', 'api', 443), { host: 'api.default', port: 443 });
  assert.deepEqual(await loopbackServiceResolver(delegate, 'https://[::1]:6443').resolve('default', 'kubernetes', 443), { host: '::1', port: 6443 });
});
