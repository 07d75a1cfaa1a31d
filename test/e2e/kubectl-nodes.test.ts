/**
 * Node maintenance with the real kubectl: cordon/uncordon/taint on a Node created by hand, and drain of a node's
 * pods through the Eviction API, with and without a PodDisruptionBudget that forbids it. There is no kubelet,
 * as against a bare kube-apiserver: an evicted pod with a node keeps its deletionTimestamp until someone
 * confirms it, so a drain that evicts waits and times out; a drain that is refused prints the eviction's 429
 * text and kubectl's retry line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('kubectl cordon, taint and drain', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  /** A Node, and a pod bound to it that is Running (as a kubelet would report it; `ready` adds Ready=True). */
  const nodeWithPod = async (node: string, pod: string, ready: boolean) => {
    await kubectl.ok(['apply', '-f', '-'], `apiVersion: v1
kind: Node
metadata: { name: ${node} }
---
apiVersion: v1
kind: Pod
metadata: { name: ${pod}, labels: { app: ${pod} } }
spec: { nodeName: ${node}, containers: [{ name: c, image: nginx }] }
`);
    const conditions = ready ? [{ type: 'Ready', status: 'True' }] : [];
    await kubectl.ok(['patch', 'pod', pod, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { phase: 'Running', conditions } })]);
  };
  const pdbStatus = (name: string, status: Record<string, number>) =>
    kubectl.ok(['patch', 'pdb', name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);

  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server.stop();
  });

  test('cordon and uncordon: the printed lines, the STATUS column, and a server dry run that changes nothing', async () => {
    await kubectl.ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Node\nmetadata: { name: n1 }\n');
    assert.equal((await kubectl.ok(['cordon', 'n1', '--dry-run=server'])).stdout, 'node/n1 cordoned (server dry run)\n');
    assert.equal((await kubectl.ok(['get', 'node', 'n1', '-o', 'jsonpath={.spec.unschedulable}'])).stdout, '');
    assert.equal((await kubectl.ok(['cordon', 'n1'])).stdout, 'node/n1 cordoned\n');
    assert.equal((await kubectl.ok(['cordon', 'n1'])).stdout, 'node/n1 already cordoned\n');
    // No kubelet reports a Ready condition: the node is Unknown, as against a bare kube-apiserver.
    assert.match((await kubectl.ok(['get', 'nodes'])).stdout, /^n1\s+Unknown,SchedulingDisabled\s+<none>\s+\S+\s*$/m);
    assert.equal((await kubectl.ok(['uncordon', 'n1'])).stdout, 'node/n1 uncordoned\n');
    assert.equal((await kubectl.ok(['uncordon', 'n1'])).stdout, 'node/n1 already uncordoned\n');
  });

  test('taint: the admission plugin\'s not-ready taint, adding, a duplicate, removing, removing again', async () => {
    // TaintNodesByCondition adds node.kubernetes.io/not-ready:NoSchedule to every Node created.
    assert.equal((await kubectl.ok(['get', 'node', 'n1', '-o', 'jsonpath={.spec.taints}'])).stdout, '[{"effect":"NoSchedule","key":"node.kubernetes.io/not-ready"}]');
    assert.equal((await kubectl.ok(['taint', 'nodes', 'n1', 'key1=value1:NoSchedule'])).stdout, 'node/n1 tainted\n');
    const again = await kubectl.fails(['taint', 'nodes', 'n1', 'key1=value1:NoSchedule']);
    assert.equal(again.stderr, 'error: node n1 already has key1 taint(s) with same effect(s) and --overwrite is false\n');
    assert.equal((await kubectl.ok(['taint', 'nodes', 'n1', 'key1=value2:NoSchedule', '--overwrite'])).stdout, 'node/n1 modified\n');
    assert.match((await kubectl.ok(['describe', 'node', 'n1'])).stdout, /^Taints:\s+key1=value2:NoSchedule\n\s+node\.kubernetes\.io\/not-ready:NoSchedule\n/m);
    assert.equal((await kubectl.ok(['taint', 'nodes', 'n1', 'key1:NoSchedule-'])).stdout, 'node/n1 untainted\n');
    const gone = await kubectl.fails(['taint', 'nodes', 'n1', 'key1:NoSchedule-']);
    assert.equal(gone.stderr, 'error: taint "key1:NoSchedule" not found\n');
  });

  test('drain of a pod without a controller: refused without --force, evicted with it, then waits for a kubelet', async () => {
    await nodeWithPod('n2', 'lone', true);
    const refused = await kubectl.fails(['drain', 'n2', '--timeout=2s']);
    assert.equal(refused.stdout, 'node/n2 cordoned\n');
    assert.match(refused.stderr, /^error: unable to drain node "n2" due to error: cannot delete cannot delete Pods that declare no controller \(use --force to override\): default\/lone, continuing command\.\.\.$/m);

    const forced = await kubectl.fails(['drain', 'n2', '--timeout=2s', '--force']);
    assert.match(forced.stdout, /^node\/n2 already cordoned\nevicting pod default\/lone\n/);
    assert.match(forced.stderr, /^Warning: deleting Pods that declare no controller: default\/lone$/m);
    assert.match(forced.stderr, /error when waiting for pod "lone" in namespace "default" to terminate: context deadline exceeded/);
    const pod = JSON.parse((await kubectl.ok(['get', 'pod', 'lone', '-o', 'json'])).stdout);
    assert.ok(pod.metadata.deletionTimestamp, 'an evicted pod with a node is deleted gracefully');
    assert.deepEqual(pod.status.conditions.find((c: { type: string }) => c.type === 'DisruptionTarget'),
      { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastProbeTime: null, lastTransitionTime: pod.status.conditions.find((c: { type: string }) => c.type === 'DisruptionTarget').lastTransitionTime });
  });

  test('drain against a PodDisruptionBudget that allows no disruption: the 429 text and kubectl\'s retry line', async () => {
    await nodeWithPod('n3', 'guarded', true);
    assert.equal((await kubectl.ok(['create', 'pdb', 'guard', '--selector=app=guarded', '--min-available=1'])).stdout, 'poddisruptionbudget.policy/guard created\n');
    // Without a disruption controller the budget's status is not observed yet: 429 with a 10 s Retry-After,
    // which client-go itself retries ten times before kubectl sees it (a drain then takes minutes, upstream too).
    const evict = () => server.request('POST', '/api/v1/namespaces/default/pods/guarded/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'guarded' } });
    const unobserved = await evict();
    assert.equal(unobserved.status, 429, unobserved.text);
    assert.equal(unobserved.headers['retry-after'], '10');
    assert.equal(unobserved.json.message, 'Cannot evict pod as it would violate the pod\'s disruption budget.');
    assert.deepEqual(unobserved.json.details, { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget guard is still being processed by the server.' }], retryAfterSeconds: 10 });

    // As the disruption controller would write it: observed, healthy, and no disruption allowed.
    await pdbStatus('guard', { observedGeneration: 1, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1, disruptionsAllowed: 0 });
    const forbidden = await kubectl.fails(['drain', 'n3', '--force', '--timeout=2s']);
    // kubectl tries again after 5 s, and gives up at the 2 s deadline once that try is refused too.
    assert.match(forbidden.stdout, /^node\/n3 cordoned\n(evicting pod default\/guarded\n)+$/);
    assert.match(forbidden.stderr, /^error when evicting pods\/"guarded" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\.$/m);
    assert.match(forbidden.stderr, /error when evicting pods\/"guarded" -n "default": global timeout reached: 2s/);
    assert.equal((await kubectl.ok(['get', 'pod', 'guarded', '-o', 'jsonpath={.metadata.deletionTimestamp}'])).stdout, '');

    // The raw answer kubectl read: 429 with the budget's cause and no Retry-After (kubectl's own 5 s retry).
    const raw = await evict();
    assert.equal(raw.status, 429, raw.text);
    assert.equal(raw.headers['retry-after'], undefined);
    assert.equal(raw.json.reason, 'TooManyRequests');
    assert.deepEqual(raw.json.details, { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget guard needs 1 healthy pods and has 1 currently' }] });

    // A server dry run once a disruption is allowed: the pod stays.
    await pdbStatus('guard', { disruptionsAllowed: 1 });
    const dry = await kubectl.ok(['drain', 'n3', '--force', '--timeout=2s', '--dry-run=server']);
    assert.equal(dry.stdout, 'node/n3 already cordoned (server dry run)\nevicting pod default/guarded (server dry run)\nnode/n3 drained (server dry run)\n');
    assert.equal((await kubectl.ok(['get', 'pod', 'guarded', '-o', 'jsonpath={.metadata.deletionTimestamp}'])).stdout, '');
    assert.equal((await kubectl.ok(['get', 'pdb', 'guard', '-o', 'jsonpath={.status.disruptionsAllowed}'])).stdout, '1');
  });

  test('a pod that is Running but not Ready is evicted while its budget is whole (IfHealthyBudget)', async () => {
    await nodeWithPod('n4', 'warming', false);
    await kubectl.ok(['create', 'pdb', 'warm', '--selector=app=warming', '--min-available=1']);
    await pdbStatus('warm', { observedGeneration: 1, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1, disruptionsAllowed: 0 });
    const r = await kubectl.fails(['drain', 'n4', '--force', '--timeout=2s']);
    assert.doesNotMatch(r.stderr, /disruption budget/);
    assert.match(r.stderr, /error when waiting for pod "warming" in namespace "default" to terminate/);
    assert.notEqual((await kubectl.ok(['get', 'pod', 'warming', '-o', 'jsonpath={.metadata.deletionTimestamp}'])).stdout, '');
  });
});
