/**
 * The workload strategies as kubectl users meet them: generations that move with spec and annotation changes,
 * the generated Job selector, Pod QoS and phase, DaemonSet template generations, and upstream's refusals and
 * warnings word for word.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('kubectl and the workload strategies', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;

  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server.stop();
  });

  test('create deployment: generation 1; annotate bumps it, label does not; scale bumps it', async () => {
    await kubectl.ok(['create', 'deployment', 'web', '--image=nginx:1.27']);
    const gen = async () => (await kubectl.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.generation}'])).stdout;
    assert.equal(await gen(), '1');
    await kubectl.ok(['label', 'deploy', 'web', 'team=a']);
    assert.equal(await gen(), '1');
    await kubectl.ok(['annotate', 'deploy', 'web', 'note=a']);
    assert.equal(await gen(), '2');
    await kubectl.ok(['scale', 'deploy', 'web', '--replicas=3']);
    assert.equal(await gen(), '3');
  });

  test('a Deployment whose pods do not restart Always is refused with upstream\'s message', async () => {
    const r = await kubectl.run(['apply', '-f', '-'], `apiVersion: apps/v1
kind: Deployment
metadata: { name: never }
spec:
  selector: { matchLabels: { app: never } }
  template:
    metadata: { labels: { app: never } }
    spec: { restartPolicy: Never, containers: [{ name: c, image: busybox }] }
`);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Deployment "never" is invalid: spec\.template\.spec\.restartPolicy: Unsupported value: "Never": supported values: "Always"/);
  });

  test('a name that is not a DNS label is created with upstream\'s warning', async () => {
    const r = await kubectl.ok(['create', 'deployment', 'web.v2', '--image=nginx']);
    assert.match(r.stderr, /Warning: metadata\.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: \[must not contain dots\]/);
  });

  test('create job: the selector and pod labels are generated from its uid', async () => {
    await kubectl.ok(['create', 'job', 'pi', '--image=perl:5.34.0', '--', 'perl', '-e', 'print 1']);
    const job = JSON.parse((await kubectl.ok(['get', 'job', 'pi', '-o', 'json'])).stdout);
    const uid = job.metadata.uid;
    assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    assert.equal(job.spec.template.metadata.labels['job-name'], 'pi');
    assert.equal(job.spec.template.metadata.labels['batch.kubernetes.io/job-name'], 'pi');
    assert.equal(job.spec.template.metadata.labels['controller-uid'], uid);
    assert.equal(job.spec.manualSelector, false);
  });

  test('run: a pod is Pending and BestEffort; set image works, other spec changes are refused', async () => {
    await kubectl.ok(['run', 'p', '--image=nginx:1.27']);
    const status = (await kubectl.ok(['get', 'pod', 'p', '-o', 'jsonpath={.status.phase} {.status.qosClass} {.metadata.generation}'])).stdout;
    assert.equal(status, 'Pending BestEffort ');
    await kubectl.ok(['set', 'image', 'pod/p', 'p=nginx:1.28']);
    const r = await kubectl.run(['patch', 'pod', 'p', '--type=json', '-p', '[{"op":"replace","path":"/spec/containers/0/name","value":"q"}]']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`,`spec\.initContainers\[\*\]\.image`,`spec\.activeDeadlineSeconds`,`spec\.tolerations` \(only additions to existing tolerations\),`spec\.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)/);
  });

  test('a DaemonSet\'s template generation annotation follows its template', async () => {
    await kubectl.ok(['apply', '-f', '-'], `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec: { containers: [{ name: agent, image: "busybox:1.36" }] }
`);
    const annotation = async () => (await kubectl.ok(['get', 'ds', 'agent', '-o', 'jsonpath={.metadata.annotations.deprecated\\.daemonset\\.template\\.generation}'])).stdout;
    assert.equal(await annotation(), '1');
    await kubectl.ok(['set', 'image', 'ds/agent', 'agent=busybox:1.37']);
    assert.equal(await annotation(), '2');
  });
});
