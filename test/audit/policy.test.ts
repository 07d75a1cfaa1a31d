// The audit policy: rule matching as upstream's policy checker, validation messages, and the log backup names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policyEvaluator, validatePolicy, type AuditAttributes } from '../../runtime/audit/policy.ts';
import { backupName } from '../../runtime/audit/log-backend.ts';
import { microTime } from '../../runtime/audit/event.ts';

const base: AuditAttributes = {
  user: 'alice',
  groups: ['dev', 'system:authenticated'],
  verb: 'get',
  isResourceRequest: true,
  path: '/api/v1/namespaces/ns1/pods/p1',
  apiGroup: '',
  namespace: 'ns1',
  resource: 'pods',
  subresource: '',
  name: 'p1',
};

function levelFor(rules: unknown[], attrs: Partial<AuditAttributes>): string {
  return policyEvaluator(validatePolicy({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules })).evaluate({ ...base, ...attrs }).level;
}

test('rules match in order on users, groups, verbs, namespaces and resources', () => {
  const rules = [
    { level: 'None', users: ['system:kube-proxy'] },
    { level: 'RequestResponse', userGroups: ['auditors'], verbs: ['create'] },
    { level: 'Request', resources: [{ group: '', resources: ['pods/log', 'pods/status'] }] },
    { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'] }] },
    { level: 'Request', resources: [{ group: 'apps', resources: ['deployments'], resourceNames: ['web'] }] },
    { level: 'RequestResponse', resources: [{ group: '', resources: ['*/scale'] }, { group: 'batch', resources: ['jobs/*'] }] },
    { level: 'Metadata', namespaces: ['kube-system'] },
    { level: 'Request', resources: [{ group: 'rbac.authorization.k8s.io' }] },
  ];
  assert.equal(levelFor(rules, { user: 'system:kube-proxy' }), 'None');
  assert.equal(levelFor(rules, { groups: ['auditors'], verb: 'create' }), 'RequestResponse');
  assert.equal(levelFor(rules, { groups: ['auditors'], verb: 'get' }), 'None', 'no rule matches: not audited');
  assert.equal(levelFor(rules, { subresource: 'log' }), 'Request');
  assert.equal(levelFor(rules, { subresource: 'exec' }), 'None', 'pods/log does not match pods/exec');
  assert.equal(levelFor(rules, { resource: 'secrets', name: 's' }), 'Metadata');
  assert.equal(levelFor(rules, { apiGroup: 'apps', resource: 'deployments', name: 'web' }), 'Request');
  assert.equal(levelFor(rules, { apiGroup: 'apps', resource: 'deployments', name: 'api' }), 'None', 'resourceNames');
  assert.equal(levelFor(rules, { apiGroup: 'apps', resource: 'deployments', name: 'web', subresource: 'scale' }), 'None', 'group of */scale is core');
  assert.equal(levelFor(rules, { resource: 'replicationcontrollers', subresource: 'scale' }), 'RequestResponse');
  assert.equal(levelFor(rules, { apiGroup: 'batch', resource: 'jobs', subresource: 'status' }), 'RequestResponse');
  assert.equal(levelFor(rules, { namespace: 'kube-system', resource: 'endpoints' }), 'Metadata');
  assert.equal(levelFor(rules, { apiGroup: 'rbac.authorization.k8s.io', resource: 'roles' }), 'Request', 'a group without resources is all of it');
  assert.equal(levelFor(rules, { isResourceRequest: false, path: '/healthz', resource: '', namespace: '' }), 'None', 'resource rules never match non-resource URLs');
});

test('non-resource URLs match exactly or by a trailing *; resource rules skip them', () => {
  const rules = [
    { level: 'None', nonResourceURLs: ['/healthz*', '/version'] },
    { level: 'Metadata', nonResourceURLs: ['/api', '/apis/*'] },
    { level: 'Request' },
  ];
  const nr = (path: string) => levelFor(rules, { isResourceRequest: false, path, resource: '', namespace: '', name: '' });
  assert.equal(nr('/healthz'), 'None');
  assert.equal(nr('/healthz/etcd'), 'None');
  assert.equal(nr('/version'), 'None');
  assert.equal(nr('/versions'), 'Request');
  assert.equal(nr('/api'), 'Metadata');
  assert.equal(nr('/apis/apps'), 'Metadata');
  assert.equal(levelFor(rules, {}), 'Request', 'a resource request skips non-resource rules');
});

test('omitStages combine policy and rule; omitManagedFields: the rule overrides the policy', () => {
  const p = policyEvaluator(
    validatePolicy({
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: ['RequestReceived'],
      omitManagedFields: true,
      rules: [
        { level: 'Metadata', verbs: ['watch'], omitStages: ['ResponseStarted'], omitManagedFields: false },
        { level: 'Request' },
      ],
    }),
  );
  const watch = p.evaluate({ ...base, verb: 'watch' });
  assert.deepEqual([...watch.omitStages].sort(), ['RequestReceived', 'ResponseStarted']);
  assert.equal(watch.omitManagedFields, false);
  const get = p.evaluate(base);
  assert.deepEqual([...get.omitStages], ['RequestReceived']);
  assert.equal(get.omitManagedFields, true);
});

test('invalid policies are refused with the field named', () => {
  assert.throws(() => validatePolicy({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [] }), /loaded illegal policy with 0 rules/);
  assert.throws(() => validatePolicy({ apiVersion: 'v1', kind: 'ConfigMap', rules: [{ level: 'None' }] }), /unexpected object kind/);
  assert.throws(
    () =>
      validatePolicy({
        apiVersion: 'audit.k8s.io/v1',
        kind: 'Policy',
        omitStages: ['Started'],
        rules: [{ level: 'Everything' }, { level: 'Metadata', nonResourceURLs: ['healthz', '/a*b'], resources: [{ group: '' }] }, {}],
      }),
    (e: Error) => {
      assert.match(e.message, /omitStages\[0\]: Unsupported value: "Started"/);
      assert.match(e.message, /rules\[0\]\.level: Unsupported value: "Everything"/);
      assert.match(e.message, /rules\[1\]\.nonResourceURLs: Invalid value: rules cannot apply to both regular resources and non-resource URLs/);
      assert.match(e.message, /rules\[1\]\.nonResourceURLs\[0\]: Invalid value: "healthz": non-resource URL rules must begin with a '\/' character/);
      assert.match(e.message, /rules\[1\]\.nonResourceURLs\[1\]: Invalid value: "\/a\*b": non-resource URL wildcards '\*' must be the final character/);
      assert.match(e.message, /rules\[2\]\.level: Required value/);
      return true;
    },
  );
});

test('rotated log names and timestamps look like upstream', () => {
  assert.equal(backupName('/var/log/audit/audit.log', new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678))), '/var/log/audit/audit-2026-01-02T03-04-05.678.log');
  assert.equal(backupName('/tmp/audit', new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6))), '/tmp/audit-2026-01-02T03-04-05.006');
  assert.equal(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678) * 1000 + 9), '2026-01-02T03:04:05.678009Z');
});
