/**
 * The limit rows of kubernetes v1.32's pkg/apis/discovery/validation/validation_test.go (TestValidateEndpointSlice:
 * max-endpoints, max-ports, max-addresses and their too-many- rows) through the real server: a slice at each limit
 * is accepted, one past it is refused with upstream's TooMany cause at the list, and that alone. Their bodies (up to
 * 20001 ports) are built here rather than written out as fidelity cases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

const path = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?dryRun=All';
const ports = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `http-${i}`, protocol: 'TCP' }));
const addresses = (n: number) => Array.from({ length: n }, (_, i) => `10.1.2.${i % 255}`);
const endpoints = (n: number) => addresses(n).map((a) => ({ addresses: [a] }));
const slice = (name: string, body: Record<string, unknown>) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name }, addressType: 'IPv4', ...body });

describe('EndpointSlice limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  const accepted: [string, Record<string, unknown>][] = [
    ['max-endpoints', { ports: ports(1), endpoints: endpoints(1000) }],
    ['max-ports', { ports: ports(20000) }],
    ['max-addresses', { ports: ports(1), endpoints: [{ addresses: addresses(100) }] }],
  ];
  for (const [name, body] of accepted) {
    it(`accepts ${name}`, async () => {
      const r = await server.request('POST', path, slice(name, body));
      assert.equal(r.status, 201, r.text);
    });
  }

  const refused: [string, Record<string, unknown>, string, string][] = [
    ['too-many-endpoints', { ports: ports(1), endpoints: endpoints(1001) }, 'endpoints', 'Too many: 1001: must have at most 1000 items'],
    ['too-many-ports', { ports: ports(20001) }, 'ports', 'Too many: 20001: must have at most 20000 items'],
    ['too-many-addresses', { ports: ports(1), endpoints: [{ addresses: addresses(101) }] }, 'endpoints[0].addresses', 'Too many: 101: must have at most 100 items'],
  ];
  for (const [name, body, field, message] of refused) {
    it(`refuses ${name}`, async () => {
      const r = await server.request('POST', path, slice(name, body));
      assert.equal(r.status, 422, r.text);
      assert.equal(r.json.message, `EndpointSlice.discovery.k8s.io "${name}" is invalid: ${field}: ${message}`);
      assert.deepEqual(r.json.details.causes, [{ reason: 'FieldValueTooMany', message, field }]);
    });
  }
});
