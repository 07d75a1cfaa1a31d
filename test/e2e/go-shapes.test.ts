/**
 * kubectl sees objects in Go's shape: `kubectl create deployment` then `kubectl get -o yaml` prints what
 * kube-apiserver v1.32 prints, managedFields included. The expected YAML is recorded kubectl output against
 * kube-apiserver (`kubectl create deployment nginx --image=nginx`, then `kubectl get deploy nginx -o yaml
 * --show-managed-fields`, as published in many tutorials), without the deployment controller's writes
 * (its `deployment.kubernetes.io/revision` annotation and status), since no controller runs here; volatile values
 * (uid, times, resourceVersion) are replaced before comparing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const expected = `apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: TIME
  generation: 1
  labels:
    app: nginx
  managedFields:
  - apiVersion: apps/v1
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata:
        f:labels:
          .: {}
          f:app: {}
      f:spec:
        f:progressDeadlineSeconds: {}
        f:replicas: {}
        f:revisionHistoryLimit: {}
        f:selector: {}
        f:strategy:
          f:rollingUpdate:
            .: {}
            f:maxSurge: {}
            f:maxUnavailable: {}
          f:type: {}
        f:template:
          f:metadata:
            f:labels:
              .: {}
              f:app: {}
          f:spec:
            f:containers:
              k:{"name":"nginx"}:
                .: {}
                f:image: {}
                f:imagePullPolicy: {}
                f:name: {}
                f:resources: {}
                f:terminationMessagePath: {}
                f:terminationMessagePolicy: {}
            f:dnsPolicy: {}
            f:restartPolicy: {}
            f:schedulerName: {}
            f:securityContext: {}
            f:terminationGracePeriodSeconds: {}
    manager: kubectl-create
    operation: Update
    time: TIME
  name: nginx
  namespace: default
  resourceVersion: RV
  uid: UID
spec:
  progressDeadlineSeconds: 600
  replicas: 1
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app: nginx
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 25%
    type: RollingUpdate
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: nginx
    spec:
      containers:
      - image: nginx
        imagePullPolicy: Always
        name: nginx
        resources: {}
        terminationMessagePath: /dev/termination-log
        terminationMessagePolicy: File
      dnsPolicy: ClusterFirst
      restartPolicy: Always
      schedulerName: default-scheduler
      securityContext: {}
      terminationGracePeriodSeconds: 30
status: {}
`;

function volatile(yaml: string): string {
  return yaml
    .replace(/(creationTimestamp|time): "\d{4}-[^"]+"/g, '$1: TIME')
    .replace(/resourceVersion: "\d+"/, 'resourceVersion: RV')
    .replace(/uid: [0-9a-f-]{36}/, 'uid: UID');
}

describe("kubectl and Go's wire shapes", () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server.stop();
  });

  it('kubectl get -o yaml of a kubectl-created Deployment is upstream\'s, managedFields included', async () => {
    const created = await kubectl.run(['create', 'deployment', 'nginx', '--image=nginx']);
    assert.equal(created.code, 0, created.stderr);
    const got = await kubectl.run(['get', 'deployment', 'nginx', '-o', 'yaml', '--show-managed-fields']);
    assert.equal(got.code, 0, got.stderr);
    assert.equal(volatile(got.stdout), expected);
  });

  it('the object survives kubectl get -o yaml | kubectl replace unchanged', async () => {
    const got = await kubectl.run(['get', 'deployment', 'nginx', '-o', 'yaml']);
    const replaced = await kubectl.run(['replace', '-f', '-'], got.stdout);
    assert.equal(replaced.code, 0, replaced.stderr);
    const again = await kubectl.run(['get', 'deployment', 'nginx', '-o', 'yaml']);
    assert.equal(volatile(again.stdout), volatile(got.stdout));
  });
});
