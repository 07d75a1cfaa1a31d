/**
 * The rest of a kubectl user's day against kube-ts as against a bare kube-apiserver (no metrics server, no
 * kubelet): top, cluster-info (and its dump), api-versions, version, /readyz?verbose, get --watch-only, the
 * output formats, get all, delete --cascade=foreground/orphan with the garbage collector's finalizer seen while
 * a dependant holds on, and the streaming commands for a pod without a node.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('kubectl cluster commands, output formats and cascading deletes', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;

  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server.stop();
  });

  test('top without a metrics API; cluster-info; api-versions; version; readyz?verbose', async () => {
    for (const what of ['pods', 'nodes']) assert.equal((await kubectl.fails(['top', what])).stderr, 'error: Metrics API not available\n');
    assert.equal((await kubectl.ok(['cluster-info'])).stdout,
      `Kubernetes control plane is running at ${server.url}\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);

    const versions = (await kubectl.ok(['api-versions'])).stdout.trim().split('\n');
    assert.deepEqual(versions, [...versions].sort(), 'sorted as kubectl sorts them');
    for (const gv of ['v1', 'apps/v1', 'autoscaling/v2', 'batch/v1', 'policy/v1', 'rbac.authorization.k8s.io/v1', 'apiregistration.k8s.io/v1']) assert.ok(versions.includes(gv), gv);

    const version = JSON.parse((await kubectl.ok(['version', '-o', 'json'])).stdout).serverVersion;
    assert.deepEqual([version.major, version.minor], ['1', '32']);
    assert.match(version.gitVersion, /^v1\.32\.\d+/);

    const ready = (await kubectl.ok(['get', '--raw', '/readyz?verbose'])).stdout.split('\n');
    assert.deepEqual(ready.slice(0, 3), ['[+]ping ok', '[+]log ok', '[+]etcd ok']);
    assert.deepEqual(ready.slice(-3), ['[+]shutdown ok', 'readyz check passed', '']);
    assert.ok(ready.includes('[+]poststarthook/rbac/bootstrap-roles ok'), ready.join('\n'));
  });

  test('cluster-info dump to a directory: one file per kind and namespace, a pod\'s log error', async () => {
    await kubectl.ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Node\nmetadata: { name: n1 }\n---\napiVersion: v1\nkind: Pod\nmetadata: { name: bound }\nspec: { nodeName: n1, containers: [{ name: c, image: nginx }] }\n');
    const dir = mkdtempSync(join(tmpdir(), 'kube-ts-dump-'));
    assert.equal((await kubectl.ok(['cluster-info', 'dump', `--output-directory=${dir}`])).stdout, `Cluster info dumped to ${dir}\n`);
    assert.deepEqual(readdirSync(join(dir, 'default')).sort(), ['bound', 'daemonsets.json', 'deployments.json', 'events.json', 'pods.json', 'replicasets.json', 'replication-controllers.json', 'services.json']);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'nodes.json'), 'utf8')).items.map((n: { metadata: { name: string } }) => n.metadata.name), ['n1']);
    // No kubelet: the log request fails as kube-apiserver's does for a node without addresses (a 500 Status
    // whose JSON body this raw read does not decode, so client-go says "unknown").
    assert.equal(readFileSync(join(dir, 'default', 'bound', 'logs.txt'), 'utf8'), '==== START logs for container c of pod default/bound ====\n'
      + 'Request log error: an error on the server ("unknown") has prevented the request from succeeding (get pods bound)\n'
      + '==== END logs for container c of pod default/bound ====\n');
    assert.equal((await kubectl.fails(['logs', 'bound'])).stderr, 'Error from server: no preferred addresses found; known addresses: []\n');
  });

  test('get --watch-only shows changes and no initial list; --output-watch-events names them', async () => {
    await kubectl.ok(['create', 'cm', 'before']);
    const rows = kubectl.start(['get', 'cm', '--watch-only']);
    const events = kubectl.start(['get', 'cm', '--watch-only', '-o', 'json', '--output-watch-events']);
    try {
      // Nothing to wait on but time: a watch that has started shows nothing until something changes.
      await new Promise((r) => setTimeout(r, 1500));
      await kubectl.ok(['create', 'cm', 'after']);
      await eventually(() => /^after\s+0\s+\d+s\n/m.test(rows.output()), `the new row in:\n${rows.output()}${rows.errors()}`);
      await eventually(() => events.output().startsWith('{"type":"ADDED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"creationTimestamp":'), `an ADDED event in:\n${events.output()}${events.errors()}`);
      assert.match(rows.output(), /^NAME\s+DATA\s+AGE\nafter\s+0\s+\d+s\n$/);
      assert.doesNotMatch(rows.output() + events.output(), /before|kube-root-ca/);
    } finally {
      rows.stop();
      events.stop();
    }
  });

  test('output formats: custom-columns, jsonpath ranges, wide, name; get all', async () => {
    await kubectl.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']);
    assert.equal((await kubectl.ok(['get', 'deploy', 'web', '-o', 'custom-columns=NAME:.metadata.name,IMG:.spec.template.spec.containers[0].image,R:.spec.replicas'])).stdout,
      'NAME   IMG          R\nweb    nginx:1.27   2\n');
    assert.equal((await kubectl.ok(['get', 'deploy', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.replicas}{"\\n"}{end}'])).stdout, 'web\t2\n');
    assert.match((await kubectl.ok(['get', 'pod', 'bound', '-o', 'wide'])).stdout,
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\nbound\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+n1\s+<none>\s+<none>\n$/);
    assert.equal((await kubectl.ok(['get', 'deploy,svc', '-o', 'name'])).stdout, 'deployment.apps/web\nservice/kubernetes\n');
    // --subresource: the status prints as its kind does, the Scale with upstream's Scale printer columns.
    assert.match((await kubectl.ok(['get', 'deploy', 'web', '--subresource=status'])).stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/2\s+0\s+0\s+\S+\n$/);
    assert.match((await kubectl.ok(['get', 'deploy', 'web', '--subresource=scale'])).stdout, /^NAME\s+DESIRED\s+AVAILABLE\s+AGE\nweb\s+2\s+0\s+\d+s\n$/);
    const scaled = JSON.parse((await kubectl.ok(['get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale'])).stdout);
    assert.deepEqual([scaled.kind, scaled.spec, scaled.status.replicas], ['Scale', { replicas: 2 }, 0]);
    const all = (await kubectl.ok(['get', 'all'])).stdout;
    assert.match(all, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\npod\/bound\s+0\/1\s+Pending\s+0\s+\S+\n\n/);
    assert.match(all, /^service\/kubernetes\s+ClusterIP\s+\S+\s+<none>\s+443\/TCP\s+\S+$/m);
    assert.match(all, /^deployment\.apps\/web\s+0\/2\s+0\s+0\s+\S+$/m);
  });

  test('delete --cascade=foreground: the owner waits with foregroundDeletion while a dependant holds on', async () => {
    await kubectl.ok(['create', 'cm', 'owner']);
    const uid = (await kubectl.ok(['get', 'cm', 'owner', '-o', 'jsonpath={.metadata.uid}'])).stdout;
    await kubectl.ok(['apply', '-f', '-'], `apiVersion: v1
kind: ConfigMap
metadata:
  name: dependant
  finalizers: [example.com/hold]
  ownerReferences: [{ apiVersion: v1, kind: ConfigMap, name: owner, uid: ${uid}, blockOwnerDeletion: true }]
`);
    const r = await kubectl.fails(['delete', 'cm', 'owner', '--cascade=foreground', '--timeout=2s']);
    assert.equal(r.stdout, 'configmap "owner" deleted\n');
    assert.equal(r.stderr, 'error: timed out waiting for the condition on configmaps/owner\n');
    const columns = ['get', 'cm', 'owner', 'dependant', '-o', 'custom-columns=NAME:.metadata.name,FINALIZERS:.metadata.finalizers,DELETING:.metadata.deletionTimestamp'];
    assert.match((await kubectl.ok(columns)).stdout, /^owner\s+\[foregroundDeletion\]\s+\S+Z\ndependant\s+\[example\.com\/hold\]\s+\S+Z\n$/m);
    await kubectl.ok(['patch', 'cm', 'dependant', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    await eventually(async () => (await kubectl.run(['get', 'cm', 'owner'])).code !== 0, 'the owner to go once its dependant is gone');
  });

  test('delete --cascade=orphan: the dependant stays and loses its owner reference', async () => {
    await kubectl.ok(['create', 'cm', 'parent']);
    const uid = (await kubectl.ok(['get', 'cm', 'parent', '-o', 'jsonpath={.metadata.uid}'])).stdout;
    await kubectl.ok(['apply', '-f', '-'], `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: child\n  ownerReferences: [{ apiVersion: v1, kind: ConfigMap, name: parent, uid: ${uid} }]\n`);
    assert.equal((await kubectl.ok(['delete', 'cm', 'parent', '--cascade=orphan'])).stdout, 'configmap "parent" deleted\n');
    await eventually(async () => (await kubectl.ok(['get', 'cm', 'child', '-o', 'jsonpath={.metadata.ownerReferences}'])).stdout === '', 'the owner reference to be removed');
  });

  test('port-forward, attach, exec and cp for a pod with no node, then for one whose node has no address', async () => {
    await kubectl.ok(['run', 'unbound', '--image=nginx']);
    assert.equal((await kubectl.fails(['port-forward', 'pod/unbound', '18080:80', '--pod-running-timeout=2s'])).stderr, 'error: unable to forward port because pod is not running. Current status=Pending\n');
    for (const args of [['attach', 'unbound'], ['exec', 'unbound', '--', 'ls'], ['cp', '/etc/hostname', 'unbound:/tmp/x']]) {
      assert.match((await kubectl.fails(args)).stderr, /^Error from server \(BadRequest\): pod unbound does not have a host assigned\n$/m, args.join(' '));
    }
    await kubectl.ok(['patch', 'pod', 'unbound', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Running"}}']);
    assert.equal((await kubectl.fails(['port-forward', 'pod/unbound', '18080:80'])).stderr, 'error: error upgrading connection: pod unbound does not have a host assigned\n');
    assert.match((await kubectl.fails(['exec', 'bound', '--', 'ls'])).stderr, /^Error from server: no preferred addresses found; known addresses: \[\]\n$/m);
  });
});
