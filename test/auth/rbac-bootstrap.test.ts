/**
 * The default RBAC policy a started server serves, compared leaf by leaf with kube-apiserver v1.32.0's, and the
 * reconcile of that policy at the next start.
 *
 * Expectations: test/auth/bootstrap-policy/*.yaml, in the shape of upstream's checked-in test data
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/{cluster-roles,cluster-role-bindings,namespace-roles,
 * namespace-role-bindings,controller-roles,controller-role-bindings}.yaml) for tag v1.32.0 (k8s.io/api v0.32.0):
 * default feature gates, so roles behind gates that were off in v1.32 are absent, and controller roles as of
 * v1.32.0, before the `watch` verbs of kubernetes#129201/#130405 (1.33, and 1.32 patch releases after 1.32.0).
 * The copies of that test data at hand were from other releases, so each difference was settled by the change
 * that made it: v1.32 has kube-scheduler's volumeattachments (#127757) and the Portworx `get services` of
 * expand-controller and persistent-volume-binder (removed in 1.36, #135322), and not yet events.k8s.io in
 * view/edit (#133740), pvc-protection-controller's pvc/status update, or the 1.33+ controllers (service-cidrs,
 * device-taint-eviction, selinux-warning, ...) whose gates were off in 1.32.
 * aggregated-rules.yaml holds what the aggregation controller fills into admin, edit and view: for each selector,
 * the matching roles in name order, each rule once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { stopAfter } from '../support/teardown.ts';
import { kubeconfigCA, writeKubeconfig } from './support.ts';

const rbac = '/apis/rbac.authorization.k8s.io/v1';
const bootstrapping = 'kubernetes.io/bootstrapping=rbac-defaults';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

function expectation(file: string): Obj[] {
  return parse(readFileSync(join(import.meta.dirname, 'bootstrap-policy', file), 'utf8')).items;
}
const aggregated: Record<string, Obj[]> = parse(readFileSync(join(import.meta.dirname, 'bootstrap-policy', 'aggregated-rules.yaml'), 'utf8'));

/** An expected object as served: an aggregated role holds the rules the aggregation controller gave it. */
function served(o: Obj): Obj {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  if (o.aggregationRule) return { ...rest, rules: aggregated[o.metadata.name] };
  return rest;
}

/** A served list item with what the server itself sets on every object (uid, times, versions) left out. */
function comparable(o: Obj): Obj {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, managedFields: _m, generation: _g, ...meta } = o.metadata;
  return { ...rest, metadata: meta };
}

async function list(server: TestServer, path: string): Promise<Obj[]> {
  const res = await server.request('GET', `${rbac}/${path}?labelSelector=${encodeURIComponent(bootstrapping)}`);
  assert.equal(res.status, 200, res.text);
  return res.json.items.map(comparable);
}

/** Same names, then each object leaf by leaf (assert.deepEqual names the first differing leaf). */
function assertSameObjects(got: Obj[], want: Obj[], what: string) {
  const key = (o: Obj) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  assert.deepEqual(got.map(key).sort(), want.map(key).sort(), `${what}: names`);
  const byKey = new Map(got.map((o) => [key(o), o]));
  for (const w of want) assert.deepEqual(byKey.get(key(w)), served(w), `${what}: ${key(w)}`);
}

describe('bootstrap policy as served', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server?.stop());

  test('cluster roles: every default and controller role, rule by rule, aggregated roles as filled', async () => {
    const want = [...expectation('cluster-roles.yaml'), ...expectation('controller-roles.yaml')];
    // The aggregation controller fills admin, edit and view after start.
    let last: unknown;
    await eventually(async () => {
      const got = await list(server, 'clusterroles');
      try {
        assertSameObjects(got, want, 'clusterroles');
        return true;
      } catch (e) {
        last = e;
        return false;
      }
    }, 'cluster roles as upstream').catch(() => {
      throw last;
    });
  });

  test('cluster role bindings: the defaults and one per controller, subjects in order', async () => {
    assertSameObjects(await list(server, 'clusterrolebindings'), [...expectation('cluster-role-bindings.yaml'), ...expectation('controller-role-bindings.yaml')], 'clusterrolebindings');
  });

  test('roles and role bindings in kube-system and kube-public', async () => {
    assertSameObjects(await list(server, 'roles'), expectation('namespace-roles.yaml'), 'roles');
    assertSameObjects(await list(server, 'rolebindings'), expectation('namespace-role-bindings.yaml'), 'rolebindings');
  });

  // kubectl asks for a SelfSubjectRulesReview, breaks the rules down, compacts and sorts them itself: the table
  // depends on which rules the bootstrap bindings give (each binding's rules, repeats included), not on their
  // order, which upstream does not fix either (its listers' order). URLs both system:discovery and
  // system:public-info-viewer grant are printed twice, as upstream's answer holds them twice.
  const discoveryLines = [
    '/api/*', '/api', '/apis/*', '/apis', '/healthz', '/healthz', '/livez', '/livez', '/openapi/*', '/openapi',
  ];
  const publicLines = ['/readyz', '/readyz', '/version/', '/version/', '/version', '/version'];
  const table = (width: number, rows: [string, string, string][]) =>
    rows.map(([res, urls, verbs]) => `${res.padEnd(48)}${urls.padEnd(width)}[]               ${verbs}`.replace(/ +$/, '')).join('\n');

  test('kubectl auth can-i --list: the admin and a service account, as with v1.32 defaults', async (t) => {
    const kubectl = kubectlRunner(server.kubeconfig);
    const header = (width: number) => `${'Resources'.padEnd(48)}${'Non-Resource URLs'.padEnd(width)}Resource Names   Verbs`;
    const selfReviews: [string, string, string][] = [
      ['selfsubjectreviews.authentication.k8s.io', '[]', '[create]'],
      ['selfsubjectaccessreviews.authorization.k8s.io', '[]', '[create]'],
      ['selfsubjectrulesreviews.authorization.k8s.io', '[]', '[create]'],
    ];
    const urlRows = (urls: string[]): [string, string, string][] => urls.map((u) => ['', `[${u}]`, '[get]']);

    const admin = await kubectl.ok(['auth', 'can-i', '--list']);
    assert.equal(
      admin.stdout,
      `${header(20)}\n${table(20, [['*.*', '[]', '[*]'], ['', '[*]', '[*]'], ...selfReviews, ...urlRows([...discoveryLines, ...publicLines])])}\n`,
    );

    await kubectl.ok(['create', 'serviceaccount', 'robot', '-n', 'default']);
    const token = (await kubectl.ok(['create', 'token', 'robot', '-n', 'default'])).stdout.trim();
    const dir = mkdtempSync(join(tmpdir(), 'kube-ts-can-i-'));
    stopAfter(t, () => rmSync(dir, { recursive: true, force: true }));
    const robot = kubectlRunner(writeKubeconfig(join(dir, 'robot.kubeconfig'), server.url, kubeconfigCA(server.kubeconfig), { token }));
    const sa = await robot.ok(['auth', 'can-i', '--list', '-n', 'default']);
    // Service accounts also hold system:service-account-issuer-discovery (group system:serviceaccounts).
    const saUrls = ['/.well-known/openid-configuration', ...discoveryLines, '/openid/v1/jwks', ...publicLines];
    assert.equal(sa.stdout, `${header(38)}\n${table(38, [...selfReviews, ...urlRows(saUrls)])}\n`);
  });
});

describe('bootstrap policy reconcile at start', () => {
  test('missing rules come back as upstream appends them, deleted defaults are recreated, labels and subjects unioned, stray aggregation removed, a binding to another role reset', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-rbac-reconcile-'));
    stopAfter(t, () => rmSync(dataDir, { recursive: true, force: true }));
    const admin = async (server: TestServer, method: string, path: string, body?: unknown) => {
      const res = await server.request(method, path, body);
      assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
      return res.json;
    };
    let server = await startServer({ dataDir, t });
    let labelledRv = '';
    try {
      // A label of the user's that sorts before the default's: stored maps read back sorted, and a default that holds
      // everything it should is left alone (no write at each start).
      const kcm = await admin(server, 'GET', `${rbac}/clusterroles/system:kube-controller-manager`);
      kcm.metadata.labels = { 'a-team': 'cp', ...kcm.metadata.labels };
      labelledRv = (await admin(server, 'PUT', `${rbac}/clusterroles/system:kube-controller-manager`, kcm)).metadata.resourceVersion;
      // Rules replaced by a user's own: the defaults' pieces are appended after it at the next start.
      const dns = await admin(server, 'GET', `${rbac}/clusterroles/system:kube-dns`);
      dns.metadata.labels = { team: 'dns' };
      await admin(server, 'PUT', `${rbac}/clusterroles/system:kube-dns`, { ...dns, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] });
      // Part of a rule removed: only what is missing comes back.
      const scheduler = await admin(server, 'GET', `${rbac}/clusterroles/system:volume-scheduler`);
      await admin(server, 'PUT', `${rbac}/clusterroles/system:volume-scheduler`, {
        ...scheduler,
        rules: [{ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch'] }, ...scheduler.rules.slice(1)],
      });
      // An aggregationRule on a default that has none: the next start takes it away.
      const aggregator = await admin(server, 'GET', `${rbac}/clusterroles/system:kube-aggregator`);
      await admin(server, 'PUT', `${rbac}/clusterroles/system:kube-aggregator`, { ...aggregator, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { team: 'dns' } }] } });
      // Defaults an admin deleted.
      await admin(server, 'DELETE', `${rbac}/clusterroles/system:heapster`);
      await admin(server, 'DELETE', `${rbac}/clusterrolebindings/system:controller:ttl-controller`);
      await admin(server, 'DELETE', `${rbac}/namespaces/kube-system/roles/system:controller:token-cleaner`);
      await admin(server, 'DELETE', `${rbac}/namespaces/kube-system/rolebindings/system:controller:token-cleaner`);
      // A default binding remade with another role: the next start puts the default back as it is.
      await admin(server, 'DELETE', `${rbac}/clusterrolebindings/system:controller:route-controller`);
      await admin(server, 'POST', `${rbac}/clusterrolebindings`, {
        metadata: { name: 'system:controller:route-controller', labels: { team: 'net' } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'net-admin' }],
      });
      // A subject added by hand: the default subject is added after it.
      const crb = await admin(server, 'GET', `${rbac}/clusterrolebindings/system:kube-dns`);
      await admin(server, 'PUT', `${rbac}/clusterrolebindings/system:kube-dns`, { ...crb, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'dns-admin' }] });
    } finally {
      await server.stop().catch(() => {});
    }
    server = await startServer({ dataDir, t });

    assert.equal((await admin(server, 'GET', `${rbac}/clusterroles/system:kube-controller-manager`)).metadata.resourceVersion, labelledRv);
    const dns = await admin(server, 'GET', `${rbac}/clusterroles/system:kube-dns`);
    assert.deepEqual(dns.rules, [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
      { apiGroups: [''], resources: ['endpoints'], verbs: ['list'] },
      { apiGroups: [''], resources: ['endpoints'], verbs: ['watch'] },
      { apiGroups: [''], resources: ['services'], verbs: ['list'] },
      { apiGroups: [''], resources: ['services'], verbs: ['watch'] },
    ]);
    assert.deepEqual(dns.metadata.labels, { team: 'dns', 'kubernetes.io/bootstrapping': 'rbac-defaults' });
    assert.deepEqual(dns.metadata.annotations, { 'rbac.authorization.kubernetes.io/autoupdate': 'true' });

    const scheduler = await admin(server, 'GET', `${rbac}/clusterroles/system:volume-scheduler`);
    assert.deepEqual(scheduler.rules.slice(-2), [
      { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['patch'] },
      { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['update'] },
    ]);
    assert.equal(scheduler.rules.length, 5);

    assert.equal((await admin(server, 'GET', `${rbac}/clusterroles/system:kube-aggregator`)).aggregationRule, undefined);

    const want = (file: string, name: string) => served(expectation(file).find((o) => o.metadata.name === name));
    assert.deepEqual(comparable(await admin(server, 'GET', `${rbac}/clusterroles/system:heapster`)), want('cluster-roles.yaml', 'system:heapster'));
    assert.deepEqual(
      comparable(await admin(server, 'GET', `${rbac}/clusterrolebindings/system:controller:route-controller`)),
      want('controller-role-bindings.yaml', 'system:controller:route-controller'),
    );
    assert.deepEqual(
      comparable(await admin(server, 'GET', `${rbac}/clusterrolebindings/system:controller:ttl-controller`)),
      want('controller-role-bindings.yaml', 'system:controller:ttl-controller'),
    );
    assert.deepEqual(comparable(await admin(server, 'GET', `${rbac}/namespaces/kube-system/roles/system:controller:token-cleaner`)), want('namespace-roles.yaml', 'system:controller:token-cleaner'));
    assert.deepEqual(
      comparable(await admin(server, 'GET', `${rbac}/namespaces/kube-system/rolebindings/system:controller:token-cleaner`)),
      want('namespace-role-bindings.yaml', 'system:controller:token-cleaner'),
    );

    const crb = await admin(server, 'GET', `${rbac}/clusterrolebindings/system:kube-dns`);
    assert.deepEqual(crb.subjects, [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'dns-admin' },
      { kind: 'ServiceAccount', name: 'kube-dns', namespace: 'kube-system' },
    ]);
  });
});
