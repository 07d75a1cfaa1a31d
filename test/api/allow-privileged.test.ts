/**
 * --allow-privileged, off by default as kube-apiserver's: off, a privileged or Windows hostProcess container is
 * refused in pods, ephemeral containers and workload templates; on (as kind and kubeadm clusters run), all are
 * accepted. Turning it off under a stored privileged pod refuses that pod's updates too (upstream's pod update
 * validates the whole spec again), while the kubelet's status writes still go through.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseOptions } from '../../runtime/server/options.ts';
import { startServer, type TestServer } from '../support/server.ts';

const privilegedPod = { metadata: { name: 'priv' }, spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] } };
const hostProcessPod = {
  metadata: { name: 'hostproc' },
  spec: { hostNetwork: true, securityContext: { windowsOptions: { hostProcess: true } }, containers: [{ name: 'c', image: 'nanoserver' }] },
};
const privilegedDaemonSet = {
  metadata: { name: 'agent' },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'busybox', securityContext: { privileged: true } }] } },
  },
};
const debugContainer = { spec: { ephemeralContainers: [{ name: 'debug', image: 'busybox', securityContext: { privileged: true } }] } };
const strategicMerge = { 'Content-Type': 'application/strategic-merge-patch+json' };

it('the flag is off unless given, and takes true or false', () => {
  assert.equal(parseOptions([]).allowPrivileged, false);
  assert.equal(parseOptions(['--allow-privileged']).allowPrivileged, true);
  assert.equal(parseOptions(['--allow-privileged=true']).allowPrivileged, true);
  assert.equal(parseOptions(['--allow-privileged=false']).allowPrivileged, false);
  assert.throws(() => parseOptions(['--allow-privileged=yes']), /"yes" is not true or false/);
});

describe('--allow-privileged=false (the default)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  it('refuses a privileged container with upstream message', async () => {
    const r = await server.request('POST', '/api/v1/namespaces/default/pods', privilegedPod);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.message, 'Pod "priv" is invalid: spec.containers[0].securityContext.privileged: Forbidden: disallowed by cluster policy');
  });

  it('refuses a hostProcess pod at its spec', async () => {
    const r = await server.request('POST', '/api/v1/namespaces/default/pods', hostProcessPod);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.message, 'Pod "hostproc" is invalid: spec: Forbidden: hostProcess containers are disallowed by cluster policy');
  });

  it('refuses a privileged workload template and a privileged ephemeral container', async () => {
    const ds = await server.request('POST', '/apis/apps/v1/namespaces/default/daemonsets', privilegedDaemonSet);
    assert.equal(ds.status, 422, ds.text);
    assert.equal(ds.json.message, 'DaemonSet.apps "agent" is invalid: spec.template.spec.containers[0].securityContext.privileged: Forbidden: disallowed by cluster policy');
    const pod = await server.request('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'plain' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    assert.equal(pod.status, 201, pod.text);
    const debug = await server.request('PATCH', '/api/v1/namespaces/default/pods/plain/ephemeralcontainers', debugContainer, strategicMerge);
    assert.equal(debug.status, 422, debug.text);
    assert.equal(debug.json.message, 'Pod "plain" is invalid: spec.ephemeralContainers[0].securityContext.privileged: Forbidden: disallowed by cluster policy');
  });
});

describe('--allow-privileged=true', () => {
  let dataDir: string;
  let server: TestServer;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-privileged-'));
    server = await startServer({ dataDir, args: ['--allow-privileged=true'] });
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts privileged and hostProcess pods, templates and ephemeral containers', async () => {
    for (const [path, body] of [
      ['/api/v1/namespaces/default/pods', privilegedPod],
      ['/api/v1/namespaces/default/pods', hostProcessPod],
      ['/apis/apps/v1/namespaces/default/daemonsets', privilegedDaemonSet],
    ] as const) {
      const r = await server.request('POST', path, body);
      assert.equal(r.status, 201, r.text);
    }
    const debug = await server.request('PATCH', '/api/v1/namespaces/default/pods/priv/ephemeralcontainers', debugContainer, strategicMerge);
    assert.equal(debug.status, 200, debug.text);
  });

  it('restarted without the flag, refuses updates of the stored privileged pod but not its status', async () => {
    await server.stop();
    server = await startServer({ dataDir });
    const label = await server.request('PATCH', '/api/v1/namespaces/default/pods/priv', { metadata: { labels: { a: 'b' } } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(label.status, 422, label.text);
    assert.equal(
      label.json.message,
      'Pod "priv" is invalid: [spec.containers[0].securityContext.privileged: Forbidden: disallowed by cluster policy, spec.ephemeralContainers[0].securityContext.privileged: Forbidden: disallowed by cluster policy]',
    );
    const status = await server.request('PATCH', '/api/v1/namespaces/default/pods/priv/status', { status: { phase: 'Running' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(status.status, 200, status.text);
  });
});
