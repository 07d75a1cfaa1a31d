/**
 * The resource catalogue through kubectl: upstream's defaults on a Deployment made by `kubectl create
 * deployment` (a protobuf body), `kubectl explain` for every served kind, and HorizontalPodAutoscalers written
 * through autoscaling/v1 read back through v2 (the storage version) and listed by `kubectl get hpa`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { groupVersions } from '../../generated/index.ts';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('the catalogue through kubectl', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server.stop();
  });

  it('kubectl create deployment gets upstream defaults', async () => {
    const created = await kubectl.run(['create', 'deployment', 'web', '--image=nginx']);
    assert.equal(created.stdout.trim(), 'deployment.apps/web created', created.stderr);
    const got = await kubectl.run(['get', 'deploy', 'web', '-o', 'json']);
    assert.equal(got.code, 0, got.stderr);
    const d = JSON.parse(got.stdout);
    assert.equal(d.spec.replicas, 1);
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    assert.equal(d.metadata.generation, 1);
    const pod = d.spec.template.spec;
    assert.equal(pod.restartPolicy, 'Always');
    assert.equal(pod.dnsPolicy, 'ClusterFirst');
    assert.equal(pod.terminationGracePeriodSeconds, 30);
    assert.equal(pod.schedulerName, 'default-scheduler');
    assert.deepEqual(pod.securityContext, {});
    const c = pod.containers[0];
    assert.equal(c.name, 'nginx');
    assert.equal(c.image, 'nginx');
    assert.equal(c.imagePullPolicy, 'Always');
    assert.equal(c.terminationMessagePath, '/dev/termination-log');
    assert.equal(c.terminationMessagePolicy, 'File');
    assert.deepEqual(c.resources, {});
  });

  it('kubectl explain works for every served kind', async () => {
    for (const gv of groupVersions) {
      for (const kind of gv.kinds) {
        const apiVersion = gv.group ? `${gv.group}/${gv.version}` : gv.version;
        const res = await kubectl.run(['explain', kind.resource, `--api-version=${apiVersion}`]);
        assert.equal(res.code, 0, `kubectl explain ${kind.resource} --api-version=${apiVersion}: ${res.stderr}`);
        assert.match(res.stdout, new RegExp(`KIND:\\s+${kind.kind}`));
      }
    }
    const strategy = await kubectl.run(['explain', 'deployment.spec.strategy']);
    assert.equal(strategy.code, 0, strategy.stderr);
    assert.match(strategy.stdout, /FIELD: strategy <DeploymentStrategy>/);
  });

  it('an HPA created through autoscaling/v1 is listed by kubectl get hpa and read through v2', async () => {
    const manifest = [
      'apiVersion: autoscaling/v1',
      'kind: HorizontalPodAutoscaler',
      'metadata:',
      '  name: web',
      '  namespace: default',
      'spec:',
      '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}',
      '  minReplicas: 2',
      '  maxReplicas: 5',
      '  targetCPUUtilizationPercentage: 70',
      '',
    ].join('\n');
    const created = await kubectl.run(['create', '-f', '-'], manifest);
    assert.equal(created.stdout.trim(), 'horizontalpodautoscaler.autoscaling/web created', created.stderr);

    const list = await kubectl.run(['get', 'hpa']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^NAME\s/);
    assert.match(list.stdout, /\nweb\s/);

    const v2 = await server.request('GET', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web');
    assert.equal(v2.status, 200, v2.text);
    assert.deepEqual(v2.json.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);

    const v1 = await server.request('GET', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web');
    assert.equal(v1.json.apiVersion, 'autoscaling/v1');
    assert.equal(v1.json.spec.targetCPUUtilizationPercentage, 70);
    assert.equal(v1.json.spec.minReplicas, 2);
  });
});
