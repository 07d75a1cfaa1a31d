/**
 * `kubectl create <kind>` generators and `kubectl autoscale` against kube-ts: what each prints, what the server
 * stored, and the server's refusals word for word (quota scopes, priority class limits and the one global
 * default, a taken node port, TokenRequest's duration and missing objects).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('kubectl create generators', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-create-'));
  const json = async (...args: string[]) => JSON.parse((await kubectl.ok(['get', ...args, '-o', 'json'])).stdout);
  const created = async (args: string[], line: string) => assert.equal((await kubectl.ok(['create', ...args])).stdout, `${line}\n`);

  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server.stop();
  });

  test('create job --from=cronjob: the manual-instantiation annotation and the CronJob as owner', async () => {
    await created(['cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'], 'cronjob.batch/cj created');
    await created(['job', 'j1', '--from=cronjob/cj'], 'job.batch/j1 created');
    const job = await json('job', 'j1');
    const cj = await json('cronjob', 'cj');
    assert.deepEqual(job.metadata.annotations, { 'cronjob.kubernetes.io/instantiate': 'manual' });
    assert.deepEqual(job.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'cj', uid: cj.metadata.uid, controller: true }]);
    assert.deepEqual(job.spec.template.spec.containers[0].command, ['date']);
    assert.match((await kubectl.ok(['get', 'job', 'j1'])).stdout, /^j1\s+Running\s+0\/1\s+\d+s$/m);
  });

  test('create token: a TokenRequest for the ServiceAccount, and its refusals', async () => {
    await created(['sa', 'bot'], 'serviceaccount/bot created');
    const token = (await kubectl.ok(['create', 'token', 'bot'])).stdout;
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    assert.equal(claims.sub, 'system:serviceaccount:default:bot');
    assert.equal(claims.exp - claims.iat, 3600);
    const req = JSON.parse((await kubectl.ok(['create', 'token', 'bot', '--duration=10m', '--audience=foo', '-o', 'json'])).stdout);
    assert.equal(req.kind, 'TokenRequest');
    assert.deepEqual(req.spec, { audiences: ['foo'], expirationSeconds: 600, boundObjectRef: null });
    assert.equal((await kubectl.fails(['create', 'token', 'nosuch'])).stderr, 'error: failed to create token: serviceaccounts "nosuch" not found\n');
    assert.equal((await kubectl.fails(['create', 'token', 'bot', '--bound-object-kind=Pod', '--bound-object-name=nope'])).stderr, 'error: failed to create token: pods "nope" not found\n');
    assert.equal((await kubectl.fails(['create', 'token', 'bot', '--duration=1s'])).stderr,
      'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 1: may not specify a duration less than 10 minutes\n');
  });

  test('create secret docker-registry/tls/generic and configmap --from-file', async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt'), '-days', '1', '-subj', '/CN=x'], { stdio: 'ignore' });
    writeFileSync(join(dir, 'f1.txt'), 'hello\n');
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'd', 'a'), 'a\n');
    writeFileSync(join(dir, 'd', 'b.conf'), 'b\n');

    await created(['secret', 'docker-registry', 'reg', '--docker-server=r.io', '--docker-username=u', '--docker-password=p', '--docker-email=e@x'], 'secret/reg created');
    const reg = await json('secret', 'reg');
    assert.equal(reg.type, 'kubernetes.io/dockerconfigjson');
    assert.deepEqual(JSON.parse(Buffer.from(reg.data['.dockerconfigjson'], 'base64').toString()).auths['r.io'].username, 'u');
    await created(['secret', 'tls', 't1', `--cert=${join(dir, 'tls.crt')}`, `--key=${join(dir, 'tls.key')}`], 'secret/t1 created');
    const tls = await json('secret', 't1');
    assert.equal(tls.type, 'kubernetes.io/tls');
    assert.deepEqual(Object.keys(tls.data).sort(), ['tls.crt', 'tls.key']);
    await created(['secret', 'generic', 'g1', '--from-literal=a=b', `--from-file=${join(dir, 'f1.txt')}`], 'secret/g1 created');
    assert.deepEqual((await json('secret', 'g1')).data, { a: 'Yg==', 'f1.txt': 'aGVsbG8K' });
    // kubectl itself checks the pair before sending it.
    assert.equal((await kubectl.fails(['create', 'secret', 'tls', 't2', `--cert=${join(dir, 'tls.crt')}`, `--key=${join(dir, 'f1.txt')}`])).stderr, 'error: tls: failed to find any PEM data in key input\n');

    await created(['configmap', 'c1', `--from-file=${join(dir, 'd')}`, `--from-file=k=${join(dir, 'f1.txt')}`, '--from-literal=x=y'], 'configmap/c1 created');
    assert.deepEqual((await json('cm', 'c1')).data, { a: 'a\n', 'b.conf': 'b\n', k: 'hello\n', x: 'y' });
  });

  test('create role/clusterrole/rolebinding/clusterrolebinding', async () => {
    await created(['role', 'r1', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=x'], 'role.rbac.authorization.k8s.io/r1 created');
    assert.deepEqual((await json('role', 'r1')).rules, [
      { apiGroups: [''], resources: ['pods'], resourceNames: ['x'], verbs: ['get', 'list'] },
      { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['x'], verbs: ['get', 'list'] },
    ]);
    assert.equal((await kubectl.fails(['create', 'role', 'r2', '--verb=get', '--resource=nosuch'])).stderr, 'the server doesn\'t have a resource type "nosuch"\n');
    await created(['clusterrole', 'cr1', '--verb=get', '--non-resource-url=/logs/*'], 'clusterrole.rbac.authorization.k8s.io/cr1 created');
    assert.deepEqual((await json('clusterrole', 'cr1')).rules, [{ nonResourceURLs: ['/logs/*'], verbs: ['get'] }]);
    await created(['clusterrole', 'cr2', '--aggregation-rule=a=b'], 'clusterrole.rbac.authorization.k8s.io/cr2 created');
    assert.deepEqual((await json('clusterrole', 'cr2')).aggregationRule, { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] });
    await created(['rolebinding', 'rb1', '--role=r1', '--user=u1', '--serviceaccount=default:bot', '--group=g'], 'rolebinding.rbac.authorization.k8s.io/rb1 created');
    const rb = await json('rolebinding', 'rb1');
    assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r1' });
    assert.equal(rb.subjects.length, 3);
    await created(['clusterrolebinding', 'crb1', '--clusterrole=cr1', '--user=u1'], 'clusterrolebinding.rbac.authorization.k8s.io/crb1 created');
    assert.match((await kubectl.ok(['auth', 'can-i', 'get', 'pods/x', '--as=u1'])).stdout, /^yes$/m);
  });

  test('create quota, priorityclass and pdb, with the server\'s refusals', async () => {
    const scoped = await kubectl.fails(['create', 'quota', 'q2', '--hard=cpu=1', '--scopes=BestEffort']);
    assert.equal(scoped.stderr, 'error: failed to create quota: ResourceQuota "q2" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource\n');
    await created(['quota', 'q3', '--hard=pods=2', '--scopes=BestEffort'], 'resourcequota/q3 created');
    await created(['quota', 'q1', '--hard=cpu=1,memory=1G,pods=2'], 'resourcequota/q1 created');
    // The quota controller fills in status.hard/used after the create, as upstream's does; describe reads them.
    await eventually(async () => (await kubectl.ok(['get', 'quota', 'q1', '-o', 'jsonpath={.status.used.pods}'])).stdout === '0', 'quota q1 to be counted');
    assert.match((await kubectl.ok(['describe', 'quota', 'q1'])).stdout, /^Resource\s+Used\s+Hard\n-+\s+-+\s+-+\ncpu\s+0\s+1\nmemory\s+0\s+1G\npods\s+0\s+2\n$/m);
    const unfit = await kubectl.fails(['run', 'nolimits', '--image=nginx']);
    assert.equal(unfit.stderr, 'Error from server (Forbidden): pods "nolimits" is forbidden: failed quota: q1: must specify cpu for: nolimits; memory for: nolimits\n');
    await kubectl.ok(['delete', 'quota', 'q1', 'q3']);

    await created(['priorityclass', 'pc1', '--value=1000', '--description=x', '--preemption-policy=Never'], 'priorityclass.scheduling.k8s.io/pc1 created');
    assert.equal((await kubectl.fails(['create', 'priorityclass', 'pc2', '--value=2000000000'])).stderr,
      'error: failed to create priorityclass: PriorityClass.scheduling.k8s.io "pc2" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000\n');
    await created(['priorityclass', 'pc3', '--value=10', '--global-default'], 'priorityclass.scheduling.k8s.io/pc3 created');
    assert.equal((await kubectl.fails(['create', 'priorityclass', 'pc4', '--value=11', '--global-default'])).stderr,
      'error: failed to create priorityclass: priorityclasses.scheduling.k8s.io "pc4" is forbidden: PriorityClass pc3 is already marked as default. Only one default can exist\n');
    assert.match((await kubectl.ok(['get', 'pc', 'pc1', 'pc3'])).stdout, /^NAME\s+VALUE\s+GLOBAL-DEFAULT\s+AGE\s+PREEMPTIONPOLICY\npc1\s+1000\s+false\s+\S+\s+Never\npc3\s+10\s+true\s+\S+\s+PreemptLowerPriority\n$/);

    await created(['pdb', 'pdb2', '--selector=app=x', '--max-unavailable=50%'], 'poddisruptionbudget.policy/pdb2 created');
    const pdb = await json('pdb', 'pdb2');
    assert.deepEqual(pdb.status, { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 });
    assert.match((await kubectl.ok(['get', 'pdb', 'pdb2'])).stdout, /^pdb2\s+N\/A\s+50%\s+0\s+\S+$/m);
  });

  test('create ingress, services of each type, deployment', async () => {
    await created(['ingress', 'ing1', '--rule=foo.com/bar=svc1:8080,tls=my-cert', '--class=default', '--annotation=a=b'], 'ingress.networking.k8s.io/ing1 created');
    await created(['ingress', 'ing2', '--default-backend=svc:http', '--rule=/path*=svc2:80'], 'ingress.networking.k8s.io/ing2 created');
    const ing = await json('ingress', 'ing1');
    assert.deepEqual(ing.spec.tls, [{ hosts: ['foo.com'], secretName: 'my-cert' }]);
    assert.equal(ing.spec.rules[0].http.paths[0].pathType, 'Exact');
    assert.equal((await json('ingress', 'ing2')).spec.rules[0].http.paths[0].pathType, 'Prefix');
    assert.match((await kubectl.ok(['get', 'ingress'])).stdout, /^ing1\s+default\s+foo\.com\s+80, 443\s+\S+\ning2\s+<none>\s+\*\s+80\s+\S+\n$/m);

    await created(['service', 'clusterip', 's1', '--tcp=5678:8080'], 'service/s1 created');
    await created(['service', 'clusterip', 's2', '--clusterip=None'], 'service/s2 created');
    await created(['service', 'nodeport', 's3', '--tcp=80:8080', '--node-port=30080'], 'service/s3 created');
    assert.equal((await kubectl.fails(['create', 'service', 'nodeport', 's4', '--tcp=80:8080', '--node-port=30080'])).stderr,
      'error: failed to create NodePort service: Service "s4" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated\n');
    await created(['service', 'externalname', 's5', '--external-name=bar.com'], 'service/s5 created');
    await created(['service', 'loadbalancer', 's6', '--tcp=80:8080'], 'service/s6 created');
    const rows = (await kubectl.ok(['get', 'svc', 's1', 's2', 's3', 's5', 's6'])).stdout;
    assert.match(rows, /^s1\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+5678\/TCP\s/m);
    assert.match(rows, /^s2\s+ClusterIP\s+None\s+<none>\s+<none>\s/m);
    assert.match(rows, /^s3\s+NodePort\s+\S+\s+<none>\s+80:30080\/TCP\s/m);
    assert.match(rows, /^s5\s+ExternalName\s+<none>\s+bar\.com\s+<none>\s/m);
    assert.match(rows, /^s6\s+LoadBalancer\s+\S+\s+<pending>\s+80:3\d{4}\/TCP\s/m);

    await created(['deployment', 'd2', '--image=nginx', '--replicas=3', '--port=80'], 'deployment.apps/d2 created');
    await created(['deployment', 'd3', '--image=a', '--image=b'], 'deployment.apps/d3 created');
    assert.equal((await kubectl.ok(['get', 'deploy', 'd3', '-o', 'jsonpath={.spec.template.spec.containers[*].name}'])).stdout, 'a b');
    assert.match((await kubectl.ok(['get', 'deploy', 'd2'])).stdout, /^d2\s+0\/3\s+0\s+0\s+\S+$/m);
  });

  test('autoscale: an autoscaling/v2 HPA with a CPU target, shown as kube-apiserver shows it', async () => {
    assert.equal((await kubectl.ok(['autoscale', 'deploy', 'd2', '--min=2', '--max=5', '--cpu-percent=80'])).stdout, 'horizontalpodautoscaler.autoscaling/d2 autoscaled\n');
    const hpa = await json('hpa', 'd2');
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
    assert.deepEqual(hpa.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    // currentMetrics and desiredReplicas are not omitempty in autoscaling/v2.
    assert.deepEqual(hpa.status, { currentMetrics: null, desiredReplicas: 0 });
    assert.match((await kubectl.ok(['get', 'hpa', 'd2'])).stdout, /^d2\s+Deployment\/d2\s+cpu: <unknown>\/80%\s+2\s+5\s+0\s+\S+$/m);
  });
});
