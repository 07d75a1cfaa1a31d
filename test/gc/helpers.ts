/** Shared pieces of the garbage collector tests: objects with owner references, and waiting for the collector. */
import assert from 'node:assert/strict';
import type { TestServer } from '../support/server.ts';

export interface Owner {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  blockOwnerDeletion?: boolean;
  controller?: boolean;
}

export function ownerRef(obj: any, extra: { blockOwnerDeletion?: boolean; controller?: boolean } = {}): Owner { // eslint-disable-line @typescript-eslint/no-explicit-any
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, uid: obj.metadata.uid, ...extra };
}

/** Polls until `fn` returns something other than undefined. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function create(server: TestServer, path: string, body: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await server.request('POST', path, body);
  assert.equal(res.status, 201, `creating at ${path}: ${res.text}`);
  return res.json;
}

export async function namespace(server: TestServer, name: string): Promise<void> {
  await create(server, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export function configMap(name: string, owners: Owner[] = [], extra: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(owners.length ? { ownerReferences: owners } : {}), ...extra }, data: { k: 'v' } };
}

export async function createConfigMap(server: TestServer, ns: string, name: string, owners: Owner[] = [], extra: Record<string, unknown> = {}): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return create(server, `/api/v1/namespaces/${ns}/configmaps`, configMap(name, owners, extra));
}

export async function status(server: TestServer, path: string): Promise<number> {
  return (await server.request('GET', path)).status;
}

export async function waitGone(server: TestServer, path: string, timeoutMs = 20_000): Promise<void> {
  await eventually(`${path} to be deleted`, async () => ((await status(server, path)) === 404 ? true : undefined), timeoutMs);
}

/** Gives the collector time to act (when the test checks that it did not), after something it does act on. */
export async function settle(ms = 2500): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

const labels = { app: 'web' };

export function deployment(name: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  };
}

export function replicaSet(name: string, owner: Owner) {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, ownerReferences: [owner] },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  };
}

export function pod(name: string, owner: Owner) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels, ownerReferences: [owner] }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
}

/** A Deployment -> ReplicaSet -> Pod chain made by hand, as the deployment and replicaset controllers would. */
export async function chain(server: TestServer, ns: string, name: string): Promise<{ deploy: any; rs: any; pod: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const deploy = await create(server, `/apis/apps/v1/namespaces/${ns}/deployments`, deployment(name));
  const rs = await create(server, `/apis/apps/v1/namespaces/${ns}/replicasets`, replicaSet(`${name}-rs`, ownerRef(deploy, { controller: true, blockOwnerDeletion: true })));
  const p = await create(server, `/api/v1/namespaces/${ns}/pods`, pod(`${name}-pod`, ownerRef(rs, { controller: true, blockOwnerDeletion: true })));
  return { deploy, rs, pod: p };
}

export const paths = {
  deployment: (ns: string, name: string) => `/apis/apps/v1/namespaces/${ns}/deployments/${name}`,
  replicaSet: (ns: string, name: string) => `/apis/apps/v1/namespaces/${ns}/replicasets/${name}`,
  pod: (ns: string, name: string) => `/api/v1/namespaces/${ns}/pods/${name}`,
  configMap: (ns: string, name: string) => `/api/v1/namespaces/${ns}/configmaps/${name}`,
};
