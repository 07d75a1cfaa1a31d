/**
 * RBAC through the real server: users from client certificates signed by the server's CA, roles and bindings
 * created by the admin (system:masters), and what each user then sees: exactly what the bindings grant, 403s in
 * upstream's words, escalation refused, default policy for anonymous users, aggregation and bootstrap reconcile.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { stopAfter } from '../support/teardown.ts';
import { anonymousRequest, testUser, type TestUser } from '../support/users.ts';

const rbac = '/apis/rbac.authorization.k8s.io/v1';

async function admin(server: TestServer, method: string, path: string, body?: unknown) {
  const res = await server.request(method, path, body);
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

function role(name: string, rules: unknown[], namespace?: string) {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: namespace ? 'Role' : 'ClusterRole', metadata: { name, ...(namespace ? { namespace } : {}) }, rules };
}
function binding(name: string, roleKind: string, roleName: string, subjects: unknown[], namespace?: string) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: namespace ? 'RoleBinding' : 'ClusterRoleBinding',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
    subjects,
  };
}
const userSubject = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name });

/** Waits until `user`'s request gets `status` (bindings reach the authorizer through a watch). */
async function until(user: TestUser, method: string, path: string, status: number, body?: unknown) {
  let last = 0;
  await eventually(async () => (last = (await user.request(method, path, body)).status) === status, `${user.name} ${method} ${path} -> ${status} (last ${last})`);
}

describe('RBAC', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    await admin(server, 'POST', '/api/v1/namespaces', { metadata: { name: 'team' } });
  });
  after(async () => server?.stop());

  test('anonymous users reach only the public info paths', async () => {
    for (const path of ['/healthz', '/livez', '/readyz', '/version']) assert.equal((await anonymousRequest(server, 'GET', path)).status, 200, path);
    const api = await anonymousRequest(server, 'GET', '/api');
    assert.equal(api.status, 403);
    assert.equal(api.json.message, 'forbidden: User "system:anonymous" cannot get path "/api"');
    // No resource and no name: Go leaves every (omitempty) field of the details out, and keeps the details.
    assert.deepEqual(api.json.details, {});
    // The message is escaped so that it never reads as HTML (upstream's sanitizer).
    const odd = await anonymousRequest(server, 'GET', '/no&such');
    assert.equal(odd.status, 403);
    assert.equal(odd.json.message, 'forbidden: User "system:anonymous" cannot get path "/no&amp;such"');
    const pods = await anonymousRequest(server, 'GET', '/api/v1/namespaces/default/pods');
    assert.equal(pods.status, 403);
    assert.deepEqual(pods.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
  });

  test('an authenticated user without bindings gets discovery and 403s worded as upstream', async () => {
    const bob = testUser(server, 'bob');
    assert.equal((await bob.request('GET', '/api')).status, 200);
    assert.equal((await bob.request('GET', '/apis')).status, 200);
    const list = await bob.request('GET', '/api/v1/namespaces/default/pods');
    assert.equal(list.status, 403);
    assert.equal(list.json.message, 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"');
    const get = await bob.request('GET', '/apis/apps/v1/namespaces/default/deployments/web');
    assert.equal(get.json.message, 'deployments.apps "web" is forbidden: User "bob" cannot get resource "deployments" in API group "apps" in the namespace "default"');
    assert.deepEqual(get.json.details, { name: 'web', group: 'apps', kind: 'deployments' });
    const nodes = await bob.request('GET', '/api/v1/nodes');
    assert.equal(nodes.json.message, 'nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope');
    const status = await bob.request('PUT', '/api/v1/namespaces/default/pods/p/status', {});
    assert.equal(status.json.message, 'pods "p" is forbidden: User "bob" cannot update resource "pods/status" in API group "" in the namespace "default"');
  });

  test('a Role and RoleBinding grant exactly their verbs, resources, names and namespace', async () => {
    const carol = testUser(server, 'carol');
    await admin(server, 'POST', '/api/v1/namespaces/team/configmaps', { metadata: { name: 'open' }, data: { a: '1' } });
    await admin(server, 'POST', '/api/v1/namespaces/team/configmaps', { metadata: { name: 'closed' }, data: { a: '1' } });
    await admin(server, 'POST', `${rbac}/namespaces/team/roles`, role('reader', [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['open'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/status'], verbs: ['get'] },
    ], 'team'));
    await admin(server, 'POST', `${rbac}/namespaces/team/rolebindings`, binding('reader', 'Role', 'reader', [userSubject('carol')], 'team'));
    await until(carol, 'GET', '/api/v1/namespaces/team/pods', 200);
    assert.equal((await carol.request('GET', '/api/v1/namespaces/default/pods')).status, 403, 'other namespace');
    assert.equal((await carol.request('GET', '/api/v1/pods')).status, 403, 'all namespaces');
    assert.equal((await carol.request('POST', '/api/v1/namespaces/team/pods', { metadata: { name: 'x' } })).status, 403, 'create');
    assert.equal((await carol.request('GET', '/api/v1/namespaces/team/pods?watch=1&timeoutSeconds=1')).status, 403, 'watch');
    assert.equal((await carol.request('GET', '/api/v1/namespaces/team/configmaps/open')).status, 200, 'named configmap');
    assert.equal((await carol.request('GET', '/api/v1/namespaces/team/configmaps/closed')).status, 403, 'other name');
    assert.equal((await carol.request('GET', '/api/v1/namespaces/team/configmaps')).status, 403, 'list with resourceNames');
    assert.equal((await carol.request('GET', '/api/v1/namespaces/team/pods/nope/status')).status, 404, 'subresource granted, object missing');
    assert.equal((await carol.request('GET', '/api/v1/namespaces/team/pods/nope/log')).status, 403, 'other subresource');
  });

  test('ClusterRoles: wildcards, */subresource, nonResourceURLs with a trailing *, groups as subjects', async () => {
    const dave = testUser(server, 'dave', ['auditors']);
    assert.equal((await dave.request('GET', '/metrics')).status, 403);
    await admin(server, 'POST', `${rbac}/clusterroles`, role('auditor', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['list'] },
      { apiGroups: [''], resources: ['*/status'], verbs: ['get'] },
      { nonResourceURLs: ['/metrics*'], verbs: ['get'] },
    ]));
    await admin(server, 'POST', `${rbac}/clusterrolebindings`, binding('auditors', 'ClusterRole', 'auditor', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'auditors' }]));
    await until(dave, 'GET', '/api/v1/secrets', 200);
    assert.equal((await dave.request('GET', '/apis/apps/v1/deployments')).status, 200);
    assert.equal((await dave.request('GET', '/api/v1/namespaces/team/pods/p')).status, 403, 'get is not list');
    assert.equal((await dave.request('GET', '/api/v1/namespaces/team/pods/p/status')).status, 404, '*/status');
    assert.notEqual((await dave.request('GET', '/metrics/extra')).status, 403, 'prefix match');
  });

  test('a non-resource path is authorized and worded as Go decodes it, escapes and all', async () => {
    // RequestInfo.Path is Go's URL.Path, percent-escapes decoded (an escaped slash too), and the 403 quotes it.
    const spaced = await anonymousRequest(server, 'GET', '/foo%20bar');
    assert.equal(spaced.status, 403);
    assert.equal(spaced.json.message, 'forbidden: User "system:anonymous" cannot get path "/foo bar"');
    const slash = await anonymousRequest(server, 'GET', '/api%2Fv1');
    assert.equal(slash.status, 403);
    assert.equal(slash.json.message, 'forbidden: User "system:anonymous" cannot get path "/api/v1"');
    // RBAC matches a rule's nonResourceURLs against that same decoded path.
    const erin = testUser(server, 'erin');
    await admin(server, 'POST', `${rbac}/clusterroles`, role('spaced', [{ nonResourceURLs: ['/foo bar'], verbs: ['get'] }]));
    await admin(server, 'POST', `${rbac}/clusterrolebindings`, binding('spaced', 'ClusterRole', 'spaced', [userSubject('erin')]));
    await until(erin, 'GET', '/foo%20bar', 404);
    const other = await erin.request('GET', '/foo%20baz');
    assert.equal(other.json.message, 'forbidden: User "erin" cannot get path "/foo baz"');
    // A resource path is split after decoding, as upstream's RequestInfo splits URL.Path.
    const split = await anonymousRequest(server, 'GET', '/api/v1/namespaces/a%2Fb/pods');
    assert.equal(split.json.message, 'b "pods" is forbidden: User "system:anonymous" cannot get resource "b" in API group "" in the namespace "a"');
    // Routes take the same path: an escaped slash reaches the health check or discovery document it names.
    const ping = await server.request('GET', '/healthz%2Fping');
    assert.deepEqual([ping.status, ping.text], [200, 'ok']);
    const discovery = await server.request('GET', '/api%2Fv1');
    assert.deepEqual([discovery.status, discovery.json.kind], [200, 'APIResourceList']);
    // An escape Go cannot decode never reaches a handler: its server answers 400 itself.
    for (const path of ['/foo%zz', '/api/v1/namespaces/%zz/pods', '/api/v1/pods%']) {
      const bad = await server.request('GET', path);
      assert.deepEqual([bad.status, bad.text], [400, '400 Bad Request'], path);
    }
  });

  test('a binding to a missing role adds upstream\'s RBAC reason to the 403', async () => {
    const erin = testUser(server, 'erin');
    await admin(server, 'POST', `${rbac}/namespaces/team/rolebindings`, binding('ghost', 'ClusterRole', 'does-not-exist', [userSubject('erin')], 'team'));
    await eventually(async () => /RBAC/.test((await erin.request('GET', '/api/v1/namespaces/team/pods')).text), 'RBAC reason');
    const res = await erin.request('GET', '/api/v1/namespaces/team/pods');
    assert.equal(res.json.message, 'pods is forbidden: User "erin" cannot list resource "pods" in API group "" in the namespace "team": RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found');
  });

  test('a change of a role or binding takes effect on a user RBAC has already answered', async () => {
    // Each step first gets an answer for the user (RBAC keeps what applies to a user until a role or binding changes).
    const ivy = testUser(server, 'ivy');
    const cm = '/api/v1/namespaces/team/configmaps';
    await admin(server, 'POST', cm, { metadata: { name: 'ivy' } });
    assert.equal((await ivy.request('GET', `${cm}/ivy`)).status, 403);
    await admin(server, 'POST', `${rbac}/namespaces/team/roles`, role('ivy', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }], 'team'));
    await admin(server, 'POST', `${rbac}/namespaces/team/rolebindings`, binding('ivy', 'Role', 'ivy', [userSubject('ivy')], 'team'));
    await until(ivy, 'GET', `${cm}/ivy`, 200);
    assert.equal((await ivy.request('GET', cm)).status, 403);
    const current = await admin(server, 'GET', `${rbac}/namespaces/team/roles/ivy`);
    await admin(server, 'PUT', `${rbac}/namespaces/team/roles/ivy`, { ...current, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] });
    await until(ivy, 'GET', cm, 200);
    await admin(server, 'DELETE', `${rbac}/namespaces/team/roles/ivy`);
    await until(ivy, 'GET', `${cm}/ivy`, 403);
    assert.match((await ivy.request('GET', `${cm}/ivy`)).json.message, /: RBAC: role.rbac.authorization.k8s.io "ivy" not found$/);
    await admin(server, 'POST', `${rbac}/namespaces/team/roles`, role('ivy', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }], 'team'));
    await until(ivy, 'GET', `${cm}/ivy`, 200);
    await admin(server, 'DELETE', `${rbac}/namespaces/team/rolebindings/ivy`);
    await until(ivy, 'GET', `${cm}/ivy`, 403);
    // A group's binding: the same name without the group is answered apart.
    await admin(server, 'POST', `${rbac}/clusterrolebindings`, binding('ivy-team', 'ClusterRole', 'view', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'ivy-team' }]));
    await until(testUser(server, 'ivy', ['ivy-team']), 'GET', `${cm}/ivy`, 200);
    assert.equal((await ivy.request('GET', `${cm}/ivy`)).status, 403);
  });

  describe('escalation', () => {
    let frank: TestUser;
    before(async () => {
      frank = testUser(server, 'frank', ['devs']);
      // frank may manage roles and bindings in team, and read pods there: nothing more.
      await admin(server, 'POST', `${rbac}/namespaces/team/roles`, role('role-manager', [
        // Not `*`: that would include the escalate and bind verbs.
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['create', 'get', 'list', 'update', 'patch', 'delete'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      ], 'team'));
      await admin(server, 'POST', `${rbac}/namespaces/team/rolebindings`, binding('frank', 'Role', 'role-manager', [userSubject('frank')], 'team'));
      await until(frank, 'GET', `${rbac}/namespaces/team/roles`, 200);
    });

    test('a role within what the author holds is created', async () => {
      const res = await frank.request('POST', `${rbac}/namespaces/team/roles`, role('pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], 'team'));
      assert.equal(res.status, 201, res.text);
    });

    test('a role with more rules than the author holds is 403 with upstream\'s message', async () => {
      const res = await frank.request('POST', `${rbac}/namespaces/team/roles`, role('too-much', [
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'delete'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
      ], 'team'));
      assert.equal(res.status, 403);
      assert.equal(res.json.reason, 'Forbidden');
      assert.equal(
        res.json.message,
        'roles.rbac.authorization.k8s.io "too-much" is forbidden: user "frank" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
          '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}',
      );
      assert.deepEqual(res.json.details, { name: 'too-much', group: 'rbac.authorization.k8s.io', kind: 'roles' });
    });

    test('wildcards are escalation unless held: resources *, verbs *, apiGroups *, names dropped', async () => {
      for (const rule of [
        { apiGroups: [''], resources: ['*'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['*'] },
        { apiGroups: ['*'], resources: ['pods'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods/exec'], verbs: ['get'] },
      ]) {
        const res = await frank.request('POST', `${rbac}/namespaces/team/roles`, role('wild', [rule], 'team'));
        assert.equal(res.status, 403, JSON.stringify(rule));
      }
      // Narrowing by name is fine: frank holds get on every pod.
      const named = await frank.request('POST', `${rbac}/namespaces/team/roles`, role('one-pod', [{ apiGroups: [''], resources: ['pods'], resourceNames: ['a'], verbs: ['get'] }], 'team'));
      assert.equal(named.status, 201, named.text);
    });

    test('updating a role to add rules is escalation; an unchanged update is not', async () => {
      const current = await admin(server, 'GET', `${rbac}/namespaces/team/roles/pod-reader`);
      const same = await frank.request('PUT', `${rbac}/namespaces/team/roles/pod-reader`, { ...current, metadata: { ...current.metadata, labels: { x: 'y' } } });
      assert.equal(same.status, 200, same.text);
      const more = { ...same.json, rules: [...same.json.rules, { apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] };
      const res = await frank.request('PUT', `${rbac}/namespaces/team/roles/pod-reader`, more);
      assert.equal(res.status, 403);
      assert.match(res.json.message, /^roles.rbac.authorization.k8s.io "pod-reader" is forbidden: user "frank" .* not currently held:\n\{APIGroups:\[""\], Resources:\["secrets"\], Verbs:\["list"\]\}$/);
    });

    test('any change but owner references and finalizers to a role holding more than the author is escalation', async () => {
      await admin(server, 'POST', `${rbac}/namespaces/team/roles`, role('secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], 'team'));
      const merge = { 'Content-Type': 'application/merge-patch+json' };
      const label = await frank.request('PATCH', `${rbac}/namespaces/team/roles/secret-reader`, { metadata: { labels: { a: 'b' } } }, merge);
      assert.equal(label.status, 403, label.text);
      const gc = await frank.request('PATCH', `${rbac}/namespaces/team/roles/secret-reader`, { metadata: { finalizers: ['example.com/keep'] } }, merge);
      assert.equal(gc.status, 200, gc.text);
      await frank.request('PATCH', `${rbac}/namespaces/team/roles/secret-reader`, { metadata: { finalizers: null } }, merge);
    });

    test('binding cluster-admin without bind is 403; binding a role whose rules are held is allowed', async () => {
      const res = await frank.request('POST', `${rbac}/namespaces/team/rolebindings`, binding('root', 'ClusterRole', 'cluster-admin', [userSubject('frank')], 'team'));
      assert.equal(res.status, 403);
      assert.match(res.json.message, /^rolebindings.rbac.authorization.k8s.io "root" is forbidden: user "frank" \(groups=\["devs" "system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}\n\{NonResourceURLs:\["\*"\], Verbs:\["\*"\]\}$/);
      const ok = await frank.request('POST', `${rbac}/namespaces/team/rolebindings`, binding('readers', 'Role', 'pod-reader', [userSubject('gina')], 'team'));
      assert.equal(ok.status, 201, ok.text);
      const missing = await frank.request('POST', `${rbac}/namespaces/team/rolebindings`, binding('nothing', 'Role', 'nope', [userSubject('gina')], 'team'));
      assert.equal(missing.status, 404);
      assert.equal(missing.json.message, 'roles.rbac.authorization.k8s.io "nope" not found'); // the storage's NotFound: upstream's escalation check reads roles through their storage
    });

    test('the bind and escalate verbs lift the checks', async () => {
      await admin(server, 'POST', `${rbac}/namespaces/team/roles`, role('binder', [
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['edit'], verbs: ['bind'] },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] },
      ], 'team'));
      await admin(server, 'POST', `${rbac}/namespaces/team/rolebindings`, binding('frank-binder', 'Role', 'binder', [userSubject('frank')], 'team'));
      await eventually(
        async () => (await frank.request('POST', `${rbac}/namespaces/team/rolebindings?dryRun=All`, binding('editors', 'ClusterRole', 'edit', [userSubject('gina')], 'team'))).status === 201,
        'bind granted',
      );
      const edit = await frank.request('POST', `${rbac}/namespaces/team/rolebindings`, binding('editors', 'ClusterRole', 'edit', [userSubject('gina')], 'team'));
      assert.equal(edit.status, 201, edit.text);
      const admin2 = await frank.request('POST', `${rbac}/namespaces/team/rolebindings`, binding('admins', 'ClusterRole', 'admin', [userSubject('gina')], 'team'));
      assert.equal(admin2.status, 403, 'bind is limited to the named role');
      const escalated = await frank.request('POST', `${rbac}/namespaces/team/roles`, role('big', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], 'team'));
      assert.equal(escalated.status, 201, escalated.text);
    });

    test('an aggregationRule needs cluster-admin rights', async () => {
      await admin(server, 'POST', `${rbac}/clusterroles`, role('cr-manager', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['create'] }]));
      await admin(server, 'POST', `${rbac}/clusterrolebindings`, binding('hank', 'ClusterRole', 'cr-manager', [userSubject('hank')]));
      const hank = testUser(server, 'hank');
      const body = { ...role('agg', []), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] } };
      await eventually(async () => (await hank.request('POST', `${rbac}/clusterroles?dryRun=All`, role('empty', []))).status === 201, 'hank may create');
      const res = await hank.request('POST', `${rbac}/clusterroles`, body);
      assert.equal(res.status, 403);
      assert.equal(res.json.message, 'clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule');
    });
  });

  test('default ClusterRoles aggregate labelled roles, and a custom aggregated role follows its selector', async () => {
    await admin(server, 'POST', `${rbac}/clusterroles`, {
      ...role('widgets-view', [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list', 'watch'] }]),
      metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true', team: 'a' } },
    });
    const has = async (name: string) => JSON.stringify((await admin(server, 'GET', `${rbac}/clusterroles/${name}`)).rules ?? []).includes('widgets');
    for (const name of ['view', 'edit', 'admin']) await eventually(() => has(name), `${name} aggregates widgets`);
    await admin(server, 'POST', `${rbac}/clusterroles`, { ...role('team-a', []), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { team: 'a' } }] } });
    await eventually(() => has('team-a'), 'team-a aggregates');
    await admin(server, 'DELETE', `${rbac}/clusterroles/widgets-view`);
    await eventually(async () => !(await has('team-a')) && !(await has('view')), 'rules go with the source role');
  });
});

describe('bootstrap policy', () => {
  test('defaults are created with labels; a restart restores removed rules, keeps additions, skips autoupdate=false', async (t) => {
    // Our own data dir: a server started without one removes its own on stop.
    const dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-rbac-bootstrap-'));
    stopAfter(t, () => rmSync(dataDir, { recursive: true, force: true })); // after the servers: stops run last added first
    let server = await startServer({ dataDir, t });
    try {
      const discovery = await admin(server, 'GET', `${rbac}/clusterroles/system:discovery`);
      assert.equal(discovery.metadata.labels['kubernetes.io/bootstrapping'], 'rbac-defaults');
      assert.equal(discovery.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'], 'true');
      const names = (await admin(server, 'GET', `${rbac}/clusterroles`)).items.map((r: { metadata: { name: string } }) => r.metadata.name);
      for (const n of ['cluster-admin', 'admin', 'edit', 'view', 'system:basic-user', 'system:public-info-viewer', 'system:node', 'system:kube-scheduler', 'system:monitoring', 'system:controller:deployment-controller', 'system:controller:namespace-controller']) assert.ok(names.includes(n), n);
      const crbs = (await admin(server, 'GET', `${rbac}/clusterrolebindings/system:public-info-viewer`)).subjects.map((s: { name: string }) => s.name);
      assert.deepEqual(crbs, ['system:authenticated', 'system:unauthenticated']);
      await admin(server, 'GET', `${rbac}/namespaces/kube-system/roles/extension-apiserver-authentication-reader`);
      const gc = await admin(server, 'GET', `${rbac}/clusterrolebindings/system:controller:generic-garbage-collector`);
      assert.deepEqual(gc.subjects.map((x: { kind: string; name: string; namespace: string }) => [x.kind, x.namespace, x.name]), [['ServiceAccount', 'kube-system', 'generic-garbage-collector']]);

      // A user changes two defaults: one stays managed, one opts out.
      const extra = { nonResourceURLs: ['/custom'], verbs: ['get'] };
      await admin(server, 'PUT', `${rbac}/clusterroles/system:discovery`, { ...discovery, rules: [extra] });
      const pub = await admin(server, 'GET', `${rbac}/clusterroles/system:public-info-viewer`);
      pub.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'] = 'false';
      await admin(server, 'PUT', `${rbac}/clusterroles/system:public-info-viewer`, { ...pub, rules: [extra] });
      const binding = await admin(server, 'GET', `${rbac}/clusterrolebindings/system:basic-user`);
      await admin(server, 'PUT', `${rbac}/clusterrolebindings/system:basic-user`, { ...binding, subjects: [userSubject('someone')] });
    } finally {
      await server.stop().catch(() => {});
    }
    server = await startServer({ dataDir, t });
    const discovery = await admin(server, 'GET', `${rbac}/clusterroles/system:discovery`);
    assert.deepEqual(discovery.rules[0], { nonResourceURLs: ['/custom'], verbs: ['get'] }, 'the user addition stays');
    assert.ok(JSON.stringify(discovery.rules).includes('/apis/*'), 'the removed default rule is back');
    const pub = await admin(server, 'GET', `${rbac}/clusterroles/system:public-info-viewer`);
    assert.deepEqual(pub.rules, [{ nonResourceURLs: ['/custom'], verbs: ['get'] }], 'autoupdate=false is left alone');
    const subjects = (await admin(server, 'GET', `${rbac}/clusterrolebindings/system:basic-user`)).subjects.map((s: { name: string }) => s.name);
    assert.deepEqual(subjects, ['someone', 'system:authenticated']);
  });
});

describe('authentication failures', () => {
  test('without anonymous access an unauthenticated request stays 401', async (t) => {
    const server = await startServer({ args: ['--anonymous-auth', 'false'], t });
    const res = await anonymousRequest(server, 'GET', '/api/v1/namespaces');
    assert.equal(res.status, 401);
  });
});
