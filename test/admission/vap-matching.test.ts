import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesResources, ruleMatches } from '../../runtime/admission/policy/matching.ts';
import type { AdmissionAttributes } from '../../runtime/admission/types.ts';
import { builtInKinds } from '../../runtime/admission/policy/kinds.ts';

function attrs(over: Partial<AdmissionAttributes> & { resource?: AdmissionAttributes['resource'] } = {}): AdmissionAttributes {
  const kind = builtInKinds.forResource('apps', 'v1', 'deployments')!;
  return {
    operation: 'CREATE',
    kind,
    resource: { group: 'apps', version: 'v1', resource: 'deployments' },
    objectKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    namespace: 'ns',
    name: 'web',
    subresource: '',
    object: { metadata: { name: 'web', labels: { tier: 'front' } } } as never,
    user: { name: 'u', groups: [] },
    dryRun: false,
    ...over,
  };
}

const deployments = { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] };

describe('policy matching', () => {
  it('matches rules by operation, group, version, resource, subresource and scope', () => {
    assert.equal(ruleMatches(deployments, attrs()), true);
    assert.equal(ruleMatches(deployments, attrs({ operation: 'UPDATE' })), false);
    assert.equal(ruleMatches({ ...deployments, operations: ['*'] }, attrs({ operation: 'DELETE' })), true);
    assert.equal(ruleMatches(deployments, attrs({ subresource: 'scale' })), false);
    assert.equal(ruleMatches({ ...deployments, resources: ['deployments/scale'] }, attrs({ subresource: 'scale' })), true);
    assert.equal(ruleMatches({ ...deployments, resources: ['*/*'] }, attrs({ subresource: 'status' })), true);
    assert.equal(ruleMatches({ ...deployments, resources: ['*'] }, attrs({ subresource: 'status' })), false);
    assert.equal(ruleMatches({ ...deployments, scope: 'Cluster' }, attrs()), false);
    assert.equal(ruleMatches({ ...deployments, scope: 'Namespaced' }, attrs()), true);
    assert.equal(ruleMatches({ ...deployments, resourceNames: ['other'] }, attrs()), false);
  });
  it('applies exclusions, selectors and matchPolicy', () => {
    const ns = { metadata: { name: 'ns', labels: { env: 'prod' } } } as never;
    assert.equal(matchesResources({ resourceRules: [deployments] }, attrs(), { namespace: ns }, true), true);
    assert.equal(matchesResources({ resourceRules: [deployments], excludeResourceRules: [deployments] }, attrs(), { namespace: ns }, true), false);
    assert.equal(matchesResources({ resourceRules: [deployments], namespaceSelector: { matchLabels: { env: 'dev' } } }, attrs(), { namespace: ns }, true), false);
    assert.equal(matchesResources({ resourceRules: [deployments], namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] } }, attrs(), { namespace: ns }, true), true);
    assert.equal(matchesResources({ resourceRules: [deployments], objectSelector: { matchLabels: { tier: 'back' } } }, attrs(), { namespace: ns }, true), false);
    const v2 = { ...deployments, apiVersions: ['v2'] };
    assert.equal(matchesResources({ resourceRules: [v2], matchPolicy: 'Exact' }, attrs(), { namespace: ns }, true), false);
    assert.equal(matchesResources({ resourceRules: [v2], matchPolicy: 'Equivalent' }, attrs(), { namespace: ns }, true), true);
    // A binding without rules matches whatever its policy matches; a policy without rules matches nothing.
    assert.equal(matchesResources({}, attrs(), { namespace: ns }, false), true);
    assert.equal(matchesResources({}, attrs(), { namespace: ns }, true), false);
  });
});
