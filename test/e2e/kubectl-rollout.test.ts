/**
 * `kubectl rollout` against kube-ts as against a bare kube-apiserver: no controller moves a rollout, so history
 * comes from ReplicaSets and ControllerRevisions created here by hand as the controllers would (owner reference,
 * revision annotation or field), and status reads what a controller would have written to the status subresource.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('kubectl rollout', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  const uid = async (kind: string, name: string) => (await kubectl.ok(['get', kind, name, '-o', 'jsonpath={.metadata.uid}'])).stdout;
  const ownedBy = (kind: string, name: string, ownerUid: string) =>
    `ownerReferences: [{ apiVersion: apps/v1, kind: ${kind}, name: ${name}, uid: ${ownerUid}, controller: true, blockOwnerDeletion: true }]`;
  /** A ControllerRevision as the DaemonSet and StatefulSet controllers write one: the template, replaced whole. */
  const revision = (owner: { kind: string; name: string; uid: string }, rev: number, image: string) => `apiVersion: apps/v1
kind: ControllerRevision
metadata:
  name: ${owner.name}-r${rev}
  labels: { app: ${owner.name} }
  ${ownedBy(owner.kind, owner.name, owner.uid)}
revision: ${rev}
data: {"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"${owner.name}"}},"spec":{"containers":[{"name":"c","image":"${image}"}]}}}}
`;

  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server.stop();
  });

  test('Deployment: status with no controller, pause/resume, restart\'s annotation, empty history', async () => {
    await kubectl.ok(['create', 'deployment', 'web', '--image=nginx:1.27']);
    const waiting = await kubectl.fails(['rollout', 'status', 'deploy/web', '--timeout=2s']);
    assert.equal(waiting.stdout, 'Waiting for deployment spec update to be observed...\n');
    assert.equal(waiting.stderr, 'error: timed out waiting for the condition\n');
    assert.equal((await kubectl.ok(['rollout', 'history', 'deploy/web'])).stdout, 'deployment.apps/web \nNo rollout history found.\n');

    assert.equal((await kubectl.ok(['rollout', 'pause', 'deploy/web'])).stdout, 'deployment.apps/web paused\n');
    assert.equal((await kubectl.fails(['rollout', 'pause', 'deploy/web'])).stderr, 'error: deployments.apps "web" is already paused\n');
    assert.equal((await kubectl.fails(['rollout', 'restart', 'deploy/web'])).stderr, 'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n');
    assert.equal((await kubectl.ok(['rollout', 'resume', 'deploy/web'])).stdout, 'deployment.apps/web resumed\n');
    assert.equal((await kubectl.fails(['rollout', 'resume', 'deploy/web'])).stderr, 'error: deployments.apps "web" is not paused\n');

    assert.equal((await kubectl.ok(['rollout', 'restart', 'deploy/web'])).stdout, 'deployment.apps/web restarted\n');
    const d = JSON.parse((await kubectl.ok(['get', 'deploy', 'web', '-o', 'json', '--show-managed-fields'])).stdout);
    assert.match(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // pause, resume and restart each changed the spec.
    assert.equal(d.metadata.generation, 4);
    assert.ok(d.metadata.managedFields.some((m: { manager: string; operation: string }) => m.manager === 'kubectl-rollout' && m.operation === 'Update'), JSON.stringify(d.metadata.managedFields));
    assert.equal((await kubectl.fails(['rollout', 'undo', 'deploy/web'])).stderr, 'error: no rollout history found for deployment "web"\n');
  });

  test('Deployment: status messages from what a controller would write', async () => {
    await kubectl.ok(['create', 'deployment', 'st', '--image=nginx']);
    const status = (s: object) => kubectl.ok(['patch', 'deploy', 'st', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: s })]);
    await status({ observedGeneration: 1, replicas: 1, updatedReplicas: 0 });
    assert.equal((await kubectl.ok(['rollout', 'status', 'deploy/st', '--watch=false'])).stdout, 'Waiting for deployment "st" rollout to finish: 0 out of 1 new replicas have been updated...\n');
    await status({ updatedReplicas: 1, availableReplicas: 0 });
    assert.equal((await kubectl.ok(['rollout', 'status', 'deploy/st', '--watch=false'])).stdout, 'Waiting for deployment "st" rollout to finish: 0 of 1 updated replicas are available...\n');
    await status({ availableReplicas: 1, readyReplicas: 1 });
    assert.equal((await kubectl.ok(['rollout', 'status', 'deploy/st', '--timeout=5s'])).stdout, 'deployment "st" successfully rolled out\n');
    await status({ conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'x' }] });
    assert.equal((await kubectl.fails(['rollout', 'status', 'deploy/st', '--timeout=5s'])).stderr, 'error: deployment "st" exceeded its progress deadline\n');
  });

  test('Deployment: history and undo from ReplicaSets made as the controller makes them', async () => {
    const owner = await uid('deploy', 'web');
    for (const rev of [1, 2]) {
      await kubectl.ok(['apply', '-f', '-'], `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-r${rev}
  annotations: { deployment.kubernetes.io/revision: "${rev}" }
  labels: { app: web, pod-template-hash: r${rev} }
  ${ownedBy('Deployment', 'web', owner)}
spec:
  replicas: 0
  selector: { matchLabels: { app: web, pod-template-hash: r${rev} } }
  template:
    metadata: { labels: { app: web, pod-template-hash: r${rev} } }
    spec: { containers: [{ name: nginx, image: "nginx:1.2${5 + rev}" }] }
`);
    }
    assert.equal((await kubectl.ok(['rollout', 'history', 'deploy/web'])).stdout, 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    const one = (await kubectl.ok(['rollout', 'history', 'deploy/web', '--revision=1'])).stdout;
    assert.match(one, /^deployment\.apps\/web with revision #1\nPod Template:\n  Labels:\tapp=web\n\tpod-template-hash=r1\n  Containers:\n   nginx:\n    Image:\tnginx:1\.26\n/);

    assert.equal((await kubectl.ok(['rollout', 'undo', 'deploy/web', '--to-revision=1', '--dry-run=server'])).stdout, 'deployment.apps/web rolled back (server dry run)\n');
    assert.equal((await kubectl.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).stdout, 'nginx:1.27');
    assert.equal((await kubectl.ok(['rollout', 'undo', 'deploy/web', '--to-revision=1'])).stdout, 'deployment.apps/web rolled back\n');
    // Undo writes the revision's template whole: the image, and no restartedAt annotation.
    assert.equal((await kubectl.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}|{.spec.template.metadata.annotations}'])).stdout, 'nginx:1.26|');
    assert.equal((await kubectl.fails(['rollout', 'undo', 'deploy/web', '--to-revision=7'])).stderr, 'error: unable to find specified revision 7 in history\n');
  });

  test('DaemonSet and StatefulSet: status, restart, pause refused, history and undo from ControllerRevisions', async () => {
    await kubectl.ok(['apply', '-f', '-'], `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: ds }
spec:
  selector: { matchLabels: { app: ds } }
  template:
    metadata: { labels: { app: ds } }
    spec: { containers: [{ name: c, image: "busybox:1.37" }] }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: ss }
spec:
  serviceName: ss
  selector: { matchLabels: { app: ss } }
  template:
    metadata: { labels: { app: ss } }
    spec: { containers: [{ name: c, image: "busybox:1.37" }] }
`);
    assert.equal((await kubectl.ok(['rollout', 'status', 'ds/ds', '--watch=false'])).stdout, 'Waiting for daemon set spec update to be observed...\n');
    assert.equal((await kubectl.ok(['rollout', 'status', 'sts/ss', '--watch=false'])).stdout, 'Waiting for statefulset spec update to be observed...\n');
    assert.equal((await kubectl.ok(['rollout', 'history', 'ds/ds'])).stdout, 'daemonset.apps/ds \nNo rollout history found.\n');
    assert.equal((await kubectl.fails(['rollout', 'undo', 'ds/ds'])).stderr, 'error: no last revision to roll back to\n');
    assert.equal((await kubectl.fails(['rollout', 'pause', 'ds/ds'])).stderr, 'error: daemonsets.apps "ds" pausing is not supported\n');
    assert.equal((await kubectl.ok(['rollout', 'restart', 'ds/ds'])).stdout, 'daemonset.apps/ds restarted\n');
    assert.equal((await kubectl.ok(['rollout', 'restart', 'sts/ss'])).stdout, 'statefulset.apps/ss restarted\n');
    for (const [kind, name] of [['DaemonSet', 'ds'], ['StatefulSet', 'ss']]) {
      const owner = { kind, name, uid: await uid(kind.toLowerCase(), name) };
      await kubectl.ok(['apply', '-f', '-'], `${revision(owner, 1, 'busybox:1.35')}---\n${revision(owner, 2, 'busybox:1.36')}`);
    }
    assert.equal((await kubectl.ok(['rollout', 'history', 'ds/ds'])).stdout, 'daemonset.apps/ds \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    assert.equal((await kubectl.ok(['rollout', 'history', 'sts/ss'])).stdout, 'statefulset.apps/ss \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    assert.match((await kubectl.ok(['rollout', 'history', 'ds/ds', '--revision=1'])).stdout, /^daemonset\.apps\/ds with revision #1\nPod Template:\n  Labels:\tapp=ds\n  Containers:\n   c:\n    Image:\tbusybox:1\.35\n/);
    assert.equal((await kubectl.ok(['rollout', 'undo', 'ds/ds', '--to-revision=1'])).stdout, 'daemonset.apps/ds rolled back\n');
    assert.equal((await kubectl.ok(['rollout', 'undo', 'sts/ss', '--to-revision=1'])).stdout, 'statefulset.apps/ss rolled back\n');
    // The revision's template replaced the live one, restartedAt annotation included.
    for (const kind of ['ds/ds', 'sts/ss']) {
      assert.equal((await kubectl.ok(['get', kind, '-o', 'jsonpath={.spec.template.spec.containers[0].image}|{.spec.template.metadata.annotations}'])).stdout, 'busybox:1.35|');
    }
  });
});
