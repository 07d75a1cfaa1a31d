/**
 * Services with the real kubectl, and across a restart: `kubectl create service nodeport`, `kubectl expose`,
 * `kubectl get svc` columns (PORT(S) `80:3xxxx/TCP`), `--service-node-port-range` refused as upstream refuses it,
 * and node ports and cluster IPs still held after the server restarts on the same store (the RangeAllocations
 * survive, and the first repair pass claims what Services hold).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer } from '../support/server.ts';
import { parseOptions } from '../../runtime/server/options.ts';

describe('services with kubectl', () => {
  it('refuses a bad --service-node-port-range with upstream texts', () => {
    assert.throws(() => parseOptions(['--service-node-port-range', 'abc']), /invalid argument "abc" for "--service-node-port-range" flag: strconv.Atoi: parsing "abc": invalid syntax/);
    assert.throws(() => parseOptions(['--service-node-port-range', '32000-31000']), /end port cannot be less than start port: 32000-31000/);
    assert.deepEqual(parseOptions([]).serviceNodePortRange, { base: 30000, size: 2768 });
    assert.deepEqual(parseOptions(['--service-node-port-range', '31000+99']).serviceNodePortRange, { base: 31000, size: 100 });
  });

  it('creates, exposes and lists Services, and keeps their allocations across a restart', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-svc-'));
    let server = await startServer({ dataDir, args: ['--service-cluster-ip-range', '10.40.0.0/24'], t });
    let port: number;
    let ip: string;
    try {
      const kubectl = kubectlRunner(server.kubeconfig);
      const created = await kubectl.run(['create', 'service', 'nodeport', 'web', '--tcp=80:8080', '-n', 'default']);
      assert.equal(created.code, 0, created.stderr);
      const svc = (await server.request('GET', '/api/v1/namespaces/default/services/web')).json;
      port = svc.spec.ports[0].nodePort;
      ip = svc.spec.clusterIP;
      assert.ok(port >= 30000 && port <= 32767, JSON.stringify(svc.spec));
      assert.equal(svc.spec.ports[0].targetPort, 8080);

      const pod = await server.request('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'api', labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 9090 }] }] } });
      assert.equal(pod.status, 201, pod.text);
      const exposed = await kubectl.run(['expose', 'pod', 'api', '--port=90', '--target-port=9090', '--type=LoadBalancer', '--name=api', '-n', 'default']);
      assert.equal(exposed.code, 0, exposed.stderr);
      const lb = (await server.request('GET', '/api/v1/namespaces/default/services/api')).json;
      assert.deepEqual(lb.spec.selector, { app: 'api' });
      assert.ok(lb.spec.ports[0].nodePort >= 30000);

      const table = await kubectl.run(['get', 'svc', '-n', 'default']);
      assert.equal(table.code, 0, table.stderr);
      const rows = table.stdout.trim().split('\n');
      assert.match(rows[0], /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
      assert.ok(rows.some((r) => new RegExp(`^web\\s+NodePort\\s+${ip.replace(/\./g, '\\.')}\\s+<none>\\s+80:${port}/TCP\\s`).test(r)), table.stdout);
      assert.ok(rows.some((r) => new RegExp(`^api\\s+LoadBalancer\\s+\\S+\\s+<pending>\\s+90:${lb.spec.ports[0].nodePort}/TCP\\s`).test(r)), table.stdout);
      assert.ok(rows.some((r) => /^kubernetes\s+ClusterIP\s+10\.40\.0\.1\s+<none>\s+443\/TCP\s/.test(r)), table.stdout);

      const taken = await kubectl.run(['create', 'service', 'nodeport', 'web2', '--tcp=80:8080', `--node-port=${port}`, '-n', 'default']);
      assert.notEqual(taken.code, 0);
      assert.match(taken.stderr, new RegExp(`Service "web2" is invalid: spec.ports\\[0\\].nodePort: Invalid value: ${port}: provided port is already allocated`));
    } finally {
      await server.stop();
    }

    server = await startServer({ dataDir, args: ['--service-cluster-ip-range', '10.40.0.0/24'], t });
    const samePort = await server.request('POST', '/api/v1/namespaces/default/services', { metadata: { name: 'after' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: port }] } });
    assert.equal(samePort.status, 422, samePort.text);
    assert.match(samePort.json.message, /provided port is already allocated/);
    const sameIP = await server.request('POST', '/api/v1/namespaces/default/services', { metadata: { name: 'after' }, spec: { clusterIP: ip, ports: [{ port: 80 }] } });
    assert.equal(sameIP.status, 422, sameIP.text);
    assert.match(sameIP.json.message, /provided IP is already allocated/);
    const del = await kubectlRunner(server.kubeconfig).run(['delete', 'svc', 'web', '-n', 'default']);
    assert.equal(del.code, 0, del.stderr);
    const reuse = await server.request('POST', '/api/v1/namespaces/default/services', { metadata: { name: 'after' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: port }] } });
    assert.equal(reuse.status, 201, reuse.text);
  });
});
