/**
 * Custom resources as owners and dependents: the collector starts monitoring a CRD's kind once it is served (CRDs
 * come and go while the server runs), and deleting the CRD itself takes its objects' dependents along.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { create, createConfigMap, eventually, namespace, ownerRef, paths, settle, status, waitGone } from './helpers.ts';

function crd(plural: string, kind: string, scope: 'Namespaced' | 'Cluster') {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.gc.example.com` },
    spec: {
      group: 'gc.example.com',
      scope,
      names: { plural, kind, singular: kind.toLowerCase() },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
    },
  };
}

const widgets = (ns: string, name = '') => `/apis/gc.example.com/v1/namespaces/${ns}/widgets${name ? `/${name}` : ''}`;
const gadgets = (name = '') => `/apis/gc.example.com/v1/gadgets${name ? `/${name}` : ''}`;

describe('garbage collector: custom resources', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  const ns = 'gc-crd';
  const widget = (name: string, owners: unknown[] = [], extra: Record<string, unknown> = {}) => create(server, widgets(ns), { apiVersion: 'gc.example.com/v1', kind: 'Widget', metadata: { name, ...(owners.length ? { ownerReferences: owners } : {}), ...extra }, spec: { size: 1 } });

  before(async () => {
    // Info-level logs name the resources the collector starts and stops monitoring.
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'info';
    server = await startServer();
    process.env.LOG_LEVEL = level;
    kubectl = kubectlRunner(server.kubeconfig);
    await namespace(server, ns);
    await create(server, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd('widgets', 'Widget', 'Namespaced'));
    await create(server, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd('gadgets', 'Gadget', 'Cluster'));
    await eventually('the custom resources to be served', async () => ((await status(server, widgets(ns))) === 200 && (await status(server, gadgets())) === 200 ? true : undefined));
  });
  after(async () => server?.stop());

  it('a custom resource owner: kubectl delete widget collects its ConfigMap dependent', async () => {
    const owner = await widget('owner');
    await createConfigMap(server, ns, 'owned-by-widget', [ownerRef(owner)]);
    const out = await kubectl.run(['delete', 'widget', 'owner', '-n', ns]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, 'widget.gc.example.com "owner" deleted\n');
    await waitGone(server, paths.configMap(ns, 'owned-by-widget'));
  });

  it('a custom resource dependent of a ConfigMap, and of a cluster-scoped custom resource', async () => {
    const cm = await createConfigMap(server, ns, 'widget-owner');
    const gadget = await create(server, gadgets(), { apiVersion: 'gc.example.com/v1', kind: 'Gadget', metadata: { name: 'big-gadget' } });
    await widget('owned-by-cm', [ownerRef(cm)]);
    await widget('owned-by-gadget', [ownerRef(gadget, { blockOwnerDeletion: true })]);
    assert.equal((await kubectl.run(['delete', 'configmap', 'widget-owner', '-n', ns])).code, 0);
    await waitGone(server, widgets(ns, 'owned-by-cm'));
    assert.equal(await status(server, widgets(ns, 'owned-by-gadget')), 200);
    assert.equal((await kubectl.run(['delete', 'gadget', 'big-gadget'])).code, 0);
    await waitGone(server, widgets(ns, 'owned-by-gadget'));
  });

  it('a custom resource deleted in the foreground waits for its blocking custom resource dependent', async () => {
    const owner = await widget('fg-owner', [], { finalizers: ['foregroundDeletion'] });
    await widget('fg-dependent', [ownerRef(owner, { blockOwnerDeletion: true })], { finalizers: ['example.com/hold'] });
    assert.equal((await server.request('DELETE', widgets(ns, 'fg-owner'))).status, 200);
    await eventually('the dependent to terminate', async () => ((await server.request('GET', widgets(ns, 'fg-dependent'))).json.metadata.deletionTimestamp ? true : undefined));
    await settle(1000);
    assert.equal(await status(server, widgets(ns, 'fg-owner')), 200);
    const res = await server.request('PATCH', widgets(ns, 'fg-dependent'), { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(res.status, 200, res.text);
    await waitGone(server, widgets(ns, 'fg-owner'));
  });

  it('a kind defined after start: deleting its CRD deletes its objects, and their dependents are collected', async () => {
    await create(server, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd('gizmos', 'Gizmo', 'Namespaced'));
    const gizmos = `/apis/gc.example.com/v1/namespaces/${ns}/gizmos`;
    await eventually('gizmos to be served', async () => ((await status(server, gizmos)) === 200 ? true : undefined));
    const monitorChanges = () => server.logs().split('\n').filter((l) => l.includes('garbage collector monitors synced')).map((l) => JSON.parse(l) as { added: string[]; removed: string[] });
    await eventually('the collector to monitor gizmos', async () => (monitorChanges().some((c) => c.added.includes('gc.example.com/gizmos')) ? true : undefined));
    const gizmo = await create(server, gizmos, { apiVersion: 'gc.example.com/v1', kind: 'Gizmo', metadata: { name: 'g1' } });
    await createConfigMap(server, ns, 'owned-by-gizmo', [ownerRef(gizmo)]);
    await settle(1000);
    assert.equal(await status(server, paths.configMap(ns, 'owned-by-gizmo')), 200);
    assert.equal((await kubectl.run(['delete', 'crd', 'gizmos.gc.example.com'])).code, 0);
    await waitGone(server, paths.configMap(ns, 'owned-by-gizmo'));
    await eventually('the collector to stop monitoring gizmos', async () => (monitorChanges().some((c) => c.removed.includes('gc.example.com/gizmos')) ? true : undefined));
  });
});
