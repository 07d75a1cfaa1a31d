/**
 * The official JavaScript client (@kubernetes/client-node) against the server, unmodified: kubeconfig loading,
 * typed CoreV1/AppsV1 calls, errors, and its Watch helper.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { startServer, type TestServer } from '../support/server.ts';

describe('@kubernetes/client-node', () => {
  let server: TestServer;
  let kc: k8s.KubeConfig;
  before(async () => {
    server = await startServer();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfig);
  });
  after(async () => {
    await server.stop();
  });

  it('lists the system namespaces', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const list = await core.listNamespace();
    const names = list.items.map((n) => n.metadata?.name);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(names.includes(ns), ns);
  });

  it('creates, reads, replaces and deletes a ConfigMap', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cn1' }, data: { a: '1' } } });
    assert.equal(created.metadata?.namespace, 'default');
    const read = await core.readNamespacedConfigMap({ name: 'cn1', namespace: 'default' });
    assert.deepEqual(read.data, { a: '1' });
    read.data = { a: '2' };
    const replaced = await core.replaceNamespacedConfigMap({ name: 'cn1', namespace: 'default', body: read });
    assert.deepEqual(replaced.data, { a: '2' });
    await core.deleteNamespacedConfigMap({ name: 'cn1', namespace: 'default' });
    await assert.rejects(core.readNamespacedConfigMap({ name: 'cn1', namespace: 'default' }), (e: { code?: number }) => e.code === 404);
  });

  it('creates a Deployment with upstream defaults through AppsV1Api', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const d = await apps.createNamespacedDeployment({
      namespace: 'default',
      body: { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } },
    });
    assert.equal(d.spec?.replicas, 1);
    assert.equal(d.spec?.strategy?.type, 'RollingUpdate');
    assert.equal(d.spec?.template.spec?.containers[0].imagePullPolicy, 'Always');
  });

  it('watches with its Watch helper', async () => {
    const watch = new k8s.Watch(kc);
    const seen: string[] = [];
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const req = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      {},
      (type, obj) => {
        seen.push(`${type} ${obj.metadata?.name}`);
        if (type === 'DELETED') resolveDone();
      },
      () => {},
    );
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'watched' } } });
    await core.deleteNamespacedConfigMap({ name: 'watched', namespace: 'default' });
    await done;
    req.abort();
    assert.deepEqual(seen.filter((s) => s.endsWith(' watched')), ['ADDED watched', 'DELETED watched']);
  });
});
