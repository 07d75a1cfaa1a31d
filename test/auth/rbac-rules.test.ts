/** PolicyRule semantics as pure functions: matching a request, and coverage for the escalation check. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactString, ruleAllows, uncoveredRules, type PolicyRule } from '../../runtime/auth/authorization/rbac/rules.ts';
import type { Attributes } from '../../runtime/auth/authorization/types.ts';

const user = { name: 'u', groups: [] };
function res(verb: string, group: string, resource: string, subresource = '', name = ''): Attributes {
  return { user, verb, resourceRequest: true, apiGroup: group, apiVersion: 'v1', resource, subresource, namespace: 'ns', name, path: '' };
}
function path(verb: string, p: string): Attributes {
  return { user, verb, resourceRequest: false, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '', path: p };
}

test('a rule matches verbs, groups, resources, subresources and names as upstream', () => {
  const pods: PolicyRule = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  assert.ok(ruleAllows(res('get', '', 'pods'), pods));
  assert.ok(!ruleAllows(res('get', '', 'pods', 'log'), pods), 'a subresource is its own resource');
  assert.ok(!ruleAllows(res('get', 'apps', 'pods'), pods));
  assert.ok(ruleAllows(res('get', 'apps', 'deployments', 'scale'), { verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] }));
  assert.ok(!ruleAllows(res('get', 'apps', 'deployments'), { verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] }));
  assert.ok(ruleAllows(res('get', '', 'pods', 'log'), { verbs: ['get'], apiGroups: [''], resources: ['*'] }), '* covers subresources');
  const named: PolicyRule = { verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] };
  assert.ok(ruleAllows(res('get', '', 'secrets', '', 'a'), named));
  assert.ok(!ruleAllows(res('list', '', 'secrets'), named), 'names never match a nameless request');
  assert.ok(ruleAllows(path('get', '/healthz/etcd'), { verbs: ['get'], nonResourceURLs: ['/healthz/*'] }));
  assert.ok(!ruleAllows(path('get', '/healthz'), { verbs: ['get'], nonResourceURLs: ['/healthz/*'] }));
  assert.ok(!ruleAllows(path('post', '/healthz'), { verbs: ['get'], nonResourceURLs: ['*'] }));
  assert.ok(!ruleAllows(res('get', '', 'pods'), { verbs: ['get'], nonResourceURLs: ['*'] }), 'URL rules never match resources');
});

test('coverage: what the owner lacks, compacted and sorted as upstream prints it', () => {
  const owner: PolicyRule[] = [
    { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', '*/status'] },
    { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'] },
    { verbs: ['get'], nonResourceURLs: ['/logs/*'] },
  ];
  assert.deepEqual(uncoveredRules(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['pods', 'services/status'] }]), []);
  assert.deepEqual(uncoveredRules(owner, [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'] }]), []);
  assert.deepEqual(uncoveredRules(owner, [{ verbs: ['get'], nonResourceURLs: ['/logs/a', '/logs/*'] }]), []);
  const missing = uncoveredRules(owner, [
    { verbs: ['get', 'delete', 'list'], apiGroups: [''], resources: ['pods', 'secrets'] },
    { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] },
    { verbs: ['get', 'post'], nonResourceURLs: ['/metrics'] },
  ]);
  assert.deepEqual(missing.map(compactString), [
    '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}',
    '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete" "list"]}',
    '{APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}',
    '{NonResourceURLs:["/metrics"], Verbs:["get"]}',
    '{NonResourceURLs:["/metrics"], Verbs:["post"]}',
  ]);
});
