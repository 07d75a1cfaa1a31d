/**
 * The aggregator end to end: the first server runs with `--runtime-config batch/v1=false`, a second instance of this
 * server serves batch/v1 as an aggregated API server behind a Service, and kubectl drives batch through the first
 * one — discovery, create, get, list, watch — with the user's identity forwarded in front-proxy headers. APIServices
 * that point nowhere get upstream's conditions and answer 503; bad APIServices are refused with 422.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { freePort, startServer, type TestServer } from '../support/server.ts';
import { suiteTeardown } from '../support/teardown.ts';
import { hostAddress } from '../support/host-address.ts';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { otherCA, startAggregatedServer, type AggregatedServer } from './aggregated-server.ts';

const ns = 'aggregated';
const work = 'work';

function job(name: string): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: work },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  });
}

/**
 * The admin's requests, sent once more when a kept-alive connection was closed by the server just as it was reused
 * (Node's idle-timeout race between tests: the request never reached the server).
 */
function retryingIdleRace(s: TestServer): TestServer {
  return {
    ...s,
    async request(...args: Parameters<TestServer['request']>) {
      try {
        return await s.request(...args);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') throw e;
        return s.request(...args);
      }
    },
  };
}

function apiService(name: string, spec: Record<string, unknown>) {
  return { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name }, spec: { groupPriorityMinimum: 1000, versionPriority: 15, ...spec } };
}

describe('kube-aggregator with a second server as the aggregated API server', () => {
  let first: TestServer;
  let second: AggregatedServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  let deadPort: number;
  let tokens: string;

  const teardown = suiteTeardown();

  before(async () => {
    tokens = join(process.env.TMPDIR ?? '/tmp', `aggregator-tokens-${process.pid}.csv`);
    writeFileSync(tokens, 'alice-token,alice,u-alice,"devs"\n');
    teardown.after(() => rmSync(tokens, { force: true }));
    first = retryingIdleRace(await startServer({ args: ['--runtime-config', 'batch/v1=false', '--token-auth-file', tokens], t: teardown }));
    second = await startAggregatedServer({ name: 'agg', namespace: ns }, join(first.dataDir, 'pki', 'front-proxy-ca.crt'), [], teardown);
    kubectl = kubectlRunner(first.kubeconfig);
    deadPort = await freePort();
    for (const s of [first, second.server]) {
      for (const name of [ns, work]) assert.equal((await s.request('POST', '/api/v1/namespaces', { metadata: { name } })).status, 201);
    }
    // The Service in front of the second server, and its endpoints (kube-ts has no endpoints controller or proxy).
    const svc = (name: string, port = 443) => ({ metadata: { name, namespace: ns }, spec: { ports: [{ name: 'https', port, targetPort: 8443 }] } });
    const eps = (name: string, port: number, portName = 'https') => ({ metadata: { name, namespace: ns }, subsets: [{ addresses: [{ ip: hostAddress() }], ports: [{ name: portName, port }] }] });
    for (const [kind, body] of [
      ['services', svc('agg')],
      ['endpoints', eps('agg', second.server.port)],
      ['services', svc('no-endpoints')],
      ['services', svc('wrong-port-name')],
      ['endpoints', eps('wrong-port-name', second.server.port, 'http')],
      ['services', svc('dead')],
      ['endpoints', eps('dead', deadPort)],
    ] as const) {
      const res = await first.request('POST', `/api/v1/namespaces/${ns}/${kind}`, body);
      assert.equal(res.status, 201, res.text);
    }
  });

  it('--runtime-config batch/v1=false: batch is not in discovery, not served, and has no APIService', async () => {
    const groups = (await first.request('GET', '/apis')).json.groups.map((g: { name: string }) => g.name);
    assert.ok(!groups.includes('batch'), groups.join(','));
    const aggregated = await first.request('GET', '/apis', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
    assert.ok(!aggregated.json.items.some((i: { metadata: { name: string } }) => i.metadata.name === 'batch'));
    assert.equal((await first.request('GET', '/apis/batch/v1/jobs')).status, 404);
    assert.equal((await first.request('GET', '/apis/batch/v1')).status, 404);
    assert.equal((await first.request('GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1.batch')).status, 404);
    const resources = await kubectl.run(['api-resources', '--no-headers']);
    assert.equal(resources.code, 0, resources.stderr);
    assert.doesNotMatch(resources.stdout, /\bjobs\b/);
    assert.match(resources.stdout, /\bdeployments\b/);
    // The rest of the server works: other groups are served.
    assert.equal((await first.request('GET', '/apis/apps/v1/deployments')).status, 200);
  });

  it('keeps a Local APIService for every served group version, with upstream priorities, and orders /apis by them', async () => {
    await eventually(async () => (await kubectl.run(['get', 'apiservices'])).stdout.includes('v1.apps'), 'local APIServices');
    const out = await kubectl.run(['get', 'apiservices']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^NAME\s+SERVICE\s+AVAILABLE\s+AGE/);
    assert.match(out.stdout, /\nv1\.\s+Local\s+True\s+/);
    assert.match(out.stdout, /\nv1\.apps\s+Local\s+True\s+/);
    assert.match(out.stdout, /\nv1\.apiregistration\.k8s\.io\s+Local\s+True\s+/);
    const apps = (await first.request('GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1.apps')).json;
    assert.equal(apps.spec.groupPriorityMinimum, 17800);
    assert.equal(apps.spec.versionPriority, 15);
    assert.equal(apps.spec.service, undefined);
    assert.deepEqual(
      apps.status.conditions.map((c: Record<string, string>) => [c.type, c.status, c.reason, c.message]),
      [['Available', 'True', 'Local', 'Local APIServices are always available']],
    );
    const groups = (await first.request('GET', '/apis')).json.groups.map((g: { name: string }) => g.name);
    assert.deepEqual(groups.slice(0, 3), ['apiregistration.k8s.io', 'apps', 'events.k8s.io']);
    assert.ok(groups.indexOf('rbac.authorization.k8s.io') < groups.indexOf('storage.k8s.io'));
  });

  it('a CRD\'s group version gets a Local APIService at 1000/100, and loses it with the CRD', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.crd.example.com' },
      spec: {
        group: 'crd.example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    const created = await first.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    assert.equal(created.status, 201, created.text);
    let svc: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    await eventually(async () => {
      svc = (await first.request('GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1.crd.example.com')).json;
      return svc?.status?.conditions?.[0]?.status === 'True';
    }, 'APIService v1.crd.example.com Available', 30_000);
    assert.deepEqual([svc.spec.groupPriorityMinimum, svc.spec.versionPriority, svc.spec.service], [1000, 100, undefined]);
    assert.equal(svc.metadata.labels['kube-aggregator.kubernetes.io/automanaged'], 'true');
    assert.equal(svc.status.conditions[0].reason, 'Local');
    // Ordered after every built-in group in discovery.
    const groups = (await first.request('GET', '/apis')).json.groups.map((g: { name: string }) => g.name);
    assert.equal(groups.at(-1), 'crd.example.com', groups.join(','));
    assert.equal((await first.request('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.crd.example.com')).status, 200);
    await eventually(async () => (await first.request('GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1.crd.example.com')).status === 404, 'APIService gone with the CRD', 30_000);
  });

  it('refuses bad APIServices with 422', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [apiService('wrong.example.com', { group: 'example.com', version: 'v1', service: { namespace: ns, name: 'agg' }, insecureSkipTLSVerify: true }), /metadata\.name: Invalid value: "wrong\.example\.com": must be `spec\.version\+"\."\+spec\.group`: "v1\.example\.com"/],
      [apiService('v1.example.com', { group: 'example.com', version: 'v1', groupPriorityMinimum: 0, service: { namespace: ns, name: 'agg' }, insecureSkipTLSVerify: true }), /spec\.groupPriorityMinimum: Invalid value: 0: must be positive and less than 20000/],
      [apiService('v1.example.com', { group: 'example.com', version: 'v1', versionPriority: 1001, service: { namespace: ns, name: 'agg' }, insecureSkipTLSVerify: true }), /spec\.versionPriority: Invalid value: 1001: must be positive and less than 1000/],
      [apiService('v1.example.com', { group: 'example.com', version: 'v1', service: { namespace: ns, name: 'agg' }, insecureSkipTLSVerify: true, caBundle: second.caBundle }), /spec\.insecureSkipTLSVerify: Invalid value: true: may not be true if caBundle is present/],
      [apiService('v1.example.com', { group: 'example.com', version: 'v1', caBundle: second.caBundle }), /spec\.caBundle: Invalid value: "\d+ bytes": local APIServices may not have a caBundle/],
      [apiService('v1.example.com', { group: 'example.com', version: 'v1', service: { name: 'agg' } }), /spec\.service\.namespace: Required value/],
    ];
    for (const [body, message] of cases) {
      const res = await first.request('POST', '/apis/apiregistration.k8s.io/v1/apiservices', body);
      assert.equal(res.status, 422, res.text);
      assert.equal(res.json.reason, 'Invalid');
      assert.match(res.json.message, message);
    }
  });

  it('registers the second server for batch/v1: Available, in discovery, and kubectl drives Jobs through the first', async () => {
    const res = await first.request('POST', '/apis/apiregistration.k8s.io/v1/apiservices', apiService('v1.batch', { group: 'batch', version: 'v1', groupPriorityMinimum: 17400, service: { namespace: ns, name: 'agg' }, caBundle: second.caBundle }));
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.spec.service.port, 443); // defaulted
    await eventually(async () => /\nv1\.batch\s+aggregated\/agg\s+True\s+/.test((await kubectl.run(['get', 'apiservices'])).stdout), 'v1.batch Available', 30_000);
    const cond = (await first.request('GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1.batch')).json.status.conditions[0];
    assert.deepEqual([cond.status, cond.reason, cond.message], ['True', 'Passed', 'all checks passed']);

    // Discovery of the first server now has batch, from the second (legacy and aggregated).
    await eventually(async () => /\bjobs\b/.test((await kubectl.run(['api-resources', '--api-group=batch', '--no-headers'])).stdout), 'jobs in api-resources', 30_000);
    const resources = await kubectl.run(['api-resources', '--api-group=batch', '--no-headers']);
    assert.match(resources.stdout, /^cronjobs\s+cj\s+batch\/v1\s+true\s+CronJob$/m);
    assert.match(resources.stdout, /^jobs\s+batch\/v1\s+true\s+Job$/m);
    const groups = (await first.request('GET', '/apis')).json.groups.map((g: { name: string }) => g.name);
    assert.ok(groups.indexOf('autoscaling') < groups.indexOf('batch') && groups.indexOf('batch') < groups.indexOf('certificates.k8s.io') + (groups.includes('certificates.k8s.io') ? 0 : 999), groups.join(','));
    assert.equal((await first.request('GET', '/apis/batch')).json.preferredVersion.groupVersion, 'batch/v1');

    // Create, get, list through the first server; the Job lives in the second.
    const created = await kubectl.run(['create', '-f', '-'], job('j1'));
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /job\.batch\/j1 created/);
    assert.equal((await second.server.request('GET', `/apis/batch/v1/namespaces/${work}/jobs/j1`)).status, 200);
    const got = await kubectl.run(['get', 'jobs', '-n', work]);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\nj1\s/);
    const one = await kubectl.run(['get', 'job', 'j1', '-n', work, '-o', 'jsonpath={.metadata.name}/{.spec.completions}']);
    assert.equal(one.stdout, 'j1/1');

    // A watch through the first server sees a Job created later.
    const watch = kubectl.start(['get', 'jobs', '-n', work, '-w', '-o', 'name']);
    try {
      await eventually(() => watch.output().includes('job.batch/j1'), 'watch lists j1');
      const second2 = await kubectl.run(['create', '-f', '-'], job('j2'));
      assert.equal(second2.code, 0, second2.stderr);
      await eventually(() => watch.output().includes('job.batch/j2'), `watch sees j2 (got ${watch.output()} ${watch.errors()})`);
    } finally {
      watch.stop();
    }
    const deleted = await kubectl.run(['delete', 'job', 'j2', '-n', work]);
    assert.equal(deleted.code, 0, deleted.stderr);

    // OpenAPI v3 of batch/v1 comes from the second server (kubectl explain reads it).
    const explain = await kubectl.run(['explain', 'jobs.spec.backoffLimit']);
    assert.equal(explain.code, 0, explain.stderr);
    assert.match(explain.stdout, /GROUP:\s+batch/);
  });

  it('forwards the user: the second server authorizes the first one\'s user itself', async () => {
    // alice may list Jobs on the first server, but not yet on the second.
    const rbac = async (s: TestServer) => {
      assert.equal((await s.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { metadata: { name: 'job-reader' }, rules: [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] }] })).status, 201);
      assert.equal((await s.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { metadata: { name: 'devs-read-jobs' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'job-reader' }, subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }] })).status, 201);
    };
    await rbac(first);
    // Only the token: the admin kubeconfig's client certificate would authenticate first.
    const ca = join(first.dataDir, 'pki', 'ca.crt');
    const alice = (args: string[]) => kubectl.run(['--kubeconfig', '/dev/null', '--server', first.url, '--certificate-authority', ca, '--token', 'alice-token', ...args]);
    const denied = await alice(['get', 'jobs', '-n', work]);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /User "alice" cannot list resource "jobs" in API group "batch" in the namespace "work"/);
    // The refusal came from the second server: the first one lets alice list jobs.
    assert.equal((await kubectl.run(['auth', 'can-i', 'list', 'jobs.batch', '-n', work, '--as', 'alice', '--as-group', 'devs'])).stdout.trim(), 'yes');
    await rbac(second.server);
    await eventually(async () => (await alice(['get', 'jobs', '-n', work, '-o', 'name'])).stdout.includes('job.batch/j1'), 'alice lists jobs through the first server');
    // Impersonation is resolved by the first server; the second sees the impersonated user.
    const impersonated = await kubectl.run(['get', 'jobs', '-n', work, '--as', 'bob']);
    assert.match(impersonated.stderr, /User "bob" cannot list resource "jobs"/);
  });

  it('APIServices pointing nowhere are not Available, with upstream\'s reasons, and answer 503', async () => {
    const at = hostAddress().replaceAll('.', '\\.'); // the dead Service's Endpoints address, in a RegExp
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ['missing', { service: { namespace: ns, name: 'missing' }, insecureSkipTLSVerify: true }, 'ServiceNotFound', /^service\/missing in "aggregated" is not present$/],
      ['badport', { service: { namespace: ns, name: 'agg', port: 444 }, insecureSkipTLSVerify: true }, 'ServicePortError', /^service\/agg in "aggregated" is not listening on port 444$/],
      ['noeps', { service: { namespace: ns, name: 'no-endpoints' }, insecureSkipTLSVerify: true }, 'EndpointsNotFound', /^cannot find endpoints for service\/no-endpoints in "aggregated"$/],
      ['portname', { service: { namespace: ns, name: 'wrong-port-name' }, insecureSkipTLSVerify: true }, 'MissingEndpoints', /^endpoints for service\/wrong-port-name in "aggregated" have no addresses with port name "https"$/],
      ['dead', { service: { namespace: ns, name: 'dead' }, insecureSkipTLSVerify: true }, 'FailedDiscoveryCheck', new RegExp(`^failing or missing response from https://${at}:\\d+/apis/dead\\.example\\.com/v1: Get "https://${at}:\\d+/apis/dead\\.example\\.com/v1": dial tcp ${at}:\\d+: connect: connection refused$`)],
      ['untrusted', { service: { namespace: ns, name: 'agg' }, caBundle: Buffer.from(otherCA()).toString('base64') }, 'FailedDiscoveryCheck', /x509: certificate signed by unknown authority/],
      // default/kubernetes:443 is this server, reached over loopback. Its discovery check comes back to this
      // aggregator, which answers 503 for an APIService not (yet) Available: the check fails, so the APIService
      // never becomes Available and nothing is proxied round in a loop, as upstream.
      ['self', { service: { namespace: 'default', name: 'kubernetes' }, insecureSkipTLSVerify: true }, 'FailedDiscoveryCheck', /^failing or missing response from https:\/\/127\.0\.0\.1:\d+\/apis\/self\.example\.com\/v1: bad status from https:\/\/127\.0\.0\.1:\d+\/apis\/self\.example\.com\/v1: 503$/],
    ];
    for (const [name, spec] of cases) {
      const res = await first.request('POST', '/apis/apiregistration.k8s.io/v1/apiservices', apiService(`v1.${name}.example.com`, { group: `${name}.example.com`, version: 'v1', ...spec }));
      assert.equal(res.status, 201, res.text);
    }
    for (const [name, , reason, message] of cases) {
      let cond: Record<string, string> | undefined;
      await eventually(async () => {
        cond = (await first.request('GET', `/apis/apiregistration.k8s.io/v1/apiservices/v1.${name}.example.com`)).json.status?.conditions?.[0];
        return cond?.reason === reason;
      }, `v1.${name}.example.com ${reason} (got ${JSON.stringify(cond)})`, 30_000);
      assert.equal(cond!.status, 'False');
      assert.match(cond!.message, message);
      const res = await first.request('GET', `/apis/${name}.example.com/v1/things`);
      assert.equal(res.status, 503);
      assert.equal(res.text, 'service unavailable\n');
    }
    const out = await kubectl.run(['get', 'apiservice', 'v1.missing.example.com']);
    assert.match(out.stdout, /\nv1\.missing\.example\.com\s+aggregated\/missing\s+False \(ServiceNotFound\)\s+/);
    // Nothing else broke: batch still goes through, and the server is ready.
    assert.equal((await kubectl.run(['get', 'jobs', '-n', work])).code, 0);
    assert.equal((await first.request('GET', '/readyz')).status, 200);
  });

  it('deleting the APIService stops the proxying', async () => {
    assert.equal((await first.request('DELETE', '/apis/apiregistration.k8s.io/v1/apiservices/v1.batch')).status, 200);
    await eventually(async () => (await first.request('GET', `/apis/batch/v1/namespaces/${work}/jobs`)).status === 404, 'batch gone');
    assert.ok(!(await first.request('GET', '/apis')).json.groups.some((g: { name: string }) => g.name === 'batch'));
  });
});
