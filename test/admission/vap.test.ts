/**
 * ValidatingAdmissionPolicy through the real server and kubectl: policies and bindings applied with kubectl, then
 * writes refused (or warned about) with upstream's messages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { testUser } from '../support/users.ts';

function deployment(name: string, replicas: number, labels: Record<string, string> = {}): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
  });
}

/** A policy on Deployment writes; `spec.matchConstraints` replaces that match. */
function policy(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: { matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] }, ...spec },
  });
}

function binding(name: string, policyName: string, spec: Record<string, unknown> = {}): string {
  return JSON.stringify({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec: { policyName, validationActions: ['Deny'], ...spec } });
}

/** Policies reach the plug-in through the watch cache: retry until the expected outcome shows (bounded). */
async function eventually<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ValidatingAdmissionPolicy', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server.stop();
  });

  it('refuses a Deployment with too many replicas with the upstream message (kubectl apply)', async () => {
    const p = await kubectl.run(['apply', '-f', '-'], policy('max-replicas.example.com', { failurePolicy: 'Fail', validations: [{ expression: 'object.spec.replicas <= 5' }] }));
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, /validatingadmissionpolicy.admissionregistration.k8s.io\/max-replicas.example.com created/);
    assert.equal((await kubectl.run(['label', 'namespace', 'default', 'environment=test'])).code, 0);
    const b = await kubectl.run(['apply', '-f', '-'], binding('max-replicas-binding.example.com', 'max-replicas.example.com', { matchResources: { namespaceSelector: { matchLabels: { environment: 'test' } } } }));
    assert.equal(b.code, 0, b.stderr);

    const r = await eventually(() => kubectl.run(['apply', '-f', '-'], deployment('web', 7)), (r) => r.code !== 0);
    assert.notEqual(r.code, 0);
    assert.equal(
      r.stderr.trim(),
      `The deployments "web" is invalid: : ValidatingAdmissionPolicy 'max-replicas.example.com' with binding 'max-replicas-binding.example.com' denied request: failed expression: object.spec.replicas <= 5`,
    );
    const raw = await server.request('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.parse(deployment('web', 7)));
    assert.equal(raw.status, 422);
    assert.equal(raw.json.reason, 'Invalid');
    assert.equal(raw.json.message, `deployments.apps "web" is forbidden: ValidatingAdmissionPolicy 'max-replicas.example.com' with binding 'max-replicas-binding.example.com' denied request: failed expression: object.spec.replicas <= 5`);
    assert.deepEqual(raw.json.details, { name: 'web', group: 'apps', kind: 'deployments', causes: [{ message: raw.json.message.replace('deployments.apps "web" is forbidden: ', '') }] });

    const ok = await kubectl.run(['apply', '-f', '-'], deployment('web', 3));
    assert.equal(ok.code, 0, ok.stderr);
    // An update is checked too.
    const scale = await kubectl.run(['patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"replicas":9}}']);
    assert.notEqual(scale.code, 0);
    assert.match(scale.stderr, /denied request: failed expression: object.spec.replicas <= 5/);
    await kubectl.run(['delete', 'validatingadmissionpolicybinding', 'max-replicas-binding.example.com']);
  });

  it('Warn shows a Warning in kubectl and lets the write through; reason, message and messageExpression', async () => {
    const p = await kubectl.run(
      ['apply', '-f', '-'],
      policy('labels.example.com', {
        validations: [
          { expression: "has(object.metadata.labels) && 'team' in object.metadata.labels", messageExpression: "'deployment ' + object.metadata.name + ' has no team label'" },
          { expression: 'object.spec.replicas != 4', message: 'four is unlucky', reason: 'Forbidden' },
        ],
      }),
    );
    assert.equal(p.code, 0, p.stderr);
    assert.equal((await kubectl.run(['apply', '-f', '-'], binding('labels-warn', 'labels.example.com', { validationActions: ['Warn'] }))).code, 0);
    const r = await eventually(() => kubectl.run(['apply', '-f', '-'], deployment('unlabelled', 1)), (r) => r.stderr.includes('Warning'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Warning: Validation failed for ValidatingAdmissionPolicy 'labels.example.com' with binding 'labels-warn': deployment unlabelled has no team label/);
    assert.match(r.stdout, /deployment.apps\/unlabelled created/);

    assert.equal((await kubectl.run(['apply', '-f', '-'], binding('labels-deny', 'labels.example.com', { validationActions: ['Deny'] }))).code, 0);
    const denied = await eventually(() => server.request('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.parse(deployment('unlucky', 4, { team: 'a' }))), (r) => r.status !== 201);
    assert.equal(denied.status, 403);
    assert.equal(denied.json.reason, 'Forbidden');
    assert.match(denied.json.message, /ValidatingAdmissionPolicy 'labels.example.com' with binding 'labels-deny' denied request: four is unlucky$/);
    await kubectl.run(['delete', 'validatingadmissionpolicybinding', 'labels-warn', 'labels-deny']);
  });

  it('reads params from a ConfigMap (by name, and parameterNotFoundAction)', async () => {
    assert.equal((await kubectl.run(['create', 'configmap', 'replica-limit', '--from-literal=max=2'])).code, 0);
    const p = await kubectl.run(
      ['apply', '-f', '-'],
      policy('param-limit.example.com', {
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        variables: [{ name: 'limit', expression: 'int(params.data.max)' }],
        validations: [{ expression: 'object.spec.replicas <= variables.limit', messageExpression: "'replicas must be at most ' + string(variables.limit)" }],
      }),
    );
    assert.equal(p.code, 0, p.stderr);
    const b = await kubectl.run(['apply', '-f', '-'], binding('param-limit', 'param-limit.example.com', { paramRef: { name: 'replica-limit', namespace: 'default', parameterNotFoundAction: 'Deny' } }));
    assert.equal(b.code, 0, b.stderr);
    const r = await eventually(() => server.request('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.parse(deployment('p1', 3))), (r) => r.status !== 201);
    assert.equal(r.status, 422);
    assert.match(r.json.message, /with binding 'param-limit' denied request: replicas must be at most 2$/);

    assert.equal((await kubectl.run(['patch', 'configmap', 'replica-limit', '--type=merge', '-p', '{"data":{"max":"3"}}'])).code, 0);
    const allowed = await eventually(() => server.request('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.parse(deployment('p1', 3))), (r) => r.status === 201);
    assert.equal(allowed.status, 201, allowed.text);

    assert.equal((await kubectl.run(['delete', 'configmap', 'replica-limit'])).code, 0);
    const missing = await eventually(() => server.request('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.parse(deployment('p2', 1))), (r) => r.status !== 201);
    assert.equal(missing.status, 422);
    assert.match(missing.json.message, /ValidatingAdmissionPolicy 'param-limit.example.com' with binding 'param-limit' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction$/);

    await kubectl.run(['apply', '-f', '-'], binding('param-limit', 'param-limit.example.com', { paramRef: { name: 'replica-limit', namespace: 'default', parameterNotFoundAction: 'Allow' } }));
    const allow = await eventually(() => server.request('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.parse(deployment('p2', 1))), (r) => r.status === 201);
    assert.equal(allow.status, 201, allow.text);
    await kubectl.run(['delete', 'validatingadmissionpolicybinding', 'param-limit']);
  });

  it('a namespaced paramRef without a namespace cannot serve a cluster-scoped request (upstream\'s message)', async () => {
    const p = await kubectl.run(
      ['apply', '-f', '-'],
      policy('ns-params.example.com', {
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        matchConstraints: { resourceRules: [{ apiGroups: ['scheduling.k8s.io'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['priorityclasses'] }] },
        validations: [{ expression: 'true' }],
      }),
    );
    assert.equal(p.code, 0, p.stderr);
    const b = await kubectl.run(['apply', '-f', '-'], binding('ns-params', 'ns-params.example.com', { paramRef: { name: 'any', parameterNotFoundAction: 'Deny' } }));
    assert.equal(b.code, 0, b.stderr);
    try {
      const r = await eventually(() => server.request('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { metadata: { name: 'vap-cluster-scoped' }, value: 10 }), (r) => r.status !== 201);
      assert.equal(r.status, 422, r.text);
      assert.match(r.json.message, /with binding 'ns-params' denied request: failed to configure binding: cannot use namespaced paramRef in policy binding that matches cluster-scoped resources$/);
    } finally {
      await kubectl.run(['delete', 'validatingadmissionpolicybinding', 'ns-params']);
      await kubectl.run(['delete', 'validatingadmissionpolicy', 'ns-params.example.com']);
    }
  });

  it('an expression that errors: failurePolicy Fail refuses, Ignore admits', async () => {
    const expr = "object.metadata.annotations['owner'] == 'me'";
    await kubectl.run(['apply', '-f', '-'], policy('erroring.example.com', { failurePolicy: 'Fail', validations: [{ expression: expr }] }));
    await kubectl.run(['apply', '-f', '-'], binding('erroring', 'erroring.example.com'));
    const r = await eventually(() => server.request('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.parse(deployment('e1', 1))), (r) => r.status !== 201);
    assert.equal(r.status, 422);
    assert.equal(r.json.message, `deployments.apps "e1" is forbidden: ValidatingAdmissionPolicy 'erroring.example.com' with binding 'erroring' denied request: expression '${expr}' resulted in error: no such key: annotations`);

    await kubectl.run(['apply', '-f', '-'], policy('erroring.example.com', { failurePolicy: 'Ignore', validations: [{ expression: expr }] }));
    const ok = await eventually(() => server.request('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.parse(deployment('e1', 1))), (r) => r.status === 201);
    assert.equal(ok.status, 201, ok.text);
    await kubectl.run(['delete', 'validatingadmissionpolicybinding', 'erroring']);
  });

  it('refuses a policy whose expressions do not compile', async () => {
    const r = await kubectl.run(['apply', '-f', '-'], policy('broken.example.com', { validations: [{ expression: 'object.spec.replicas < 5 && nosuch > 1' }, { expression: "'not a bool'" }] }));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The ValidatingAdmissionPolicy "broken.example.com" is invalid: /);
    assert.match(r.stderr, /spec.validations\[0\].expression: Invalid value: "object.spec.replicas < 5 && nosuch > 1": compilation failed: ERROR: <input>:1:29: undeclared reference to 'nosuch' \(in container ''\)/);
    assert.match(r.stderr, /spec.validations\[1\].expression: Invalid value: "'not a bool'": must evaluate to bool/);
    const params = await kubectl.run(['apply', '-f', '-'], policy('noparams.example.com', { validations: [{ expression: 'params.x == 1' }] }));
    assert.match(params.stderr, /undeclared reference to 'params'/);
  });

  it('stops a too costly expression at evaluation with the upstream error', async () => {
    const expr = 'object.data.all(a, object.data.all(b, a != b || a == b))';
    const p = await kubectl.run(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: 'costly.example.com' },
        spec: { matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] }, validations: [{ expression: expr }] },
      }),
    );
    assert.equal(p.code, 0, p.stderr);
    await kubectl.run(['apply', '-f', '-'], binding('costly', 'costly.example.com'));
    const data = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`k${i}`, 'v']));
    const small = await eventually(
      () => server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'small' }, data: { a: 'b' } }),
      (r) => r.status === 201,
    );
    assert.equal(small.status, 201, small.text);
    const r = await eventually(() => server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'big' }, data }), (r) => r.status !== 201);
    assert.equal(r.status, 422);
    assert.equal(r.json.message, `configmaps "big" is forbidden: ValidatingAdmissionPolicy 'costly.example.com' with binding 'costly' denied request: expression '${expr}' resulted in error: operation cancelled: actual cost limit exceeded`);
    await kubectl.run(['delete', 'validatingadmissionpolicybinding', 'costly']);
  });

  it('reports type-checking warnings in status and observes the generation', async () => {
    // As upstream's TypeChecker: only validations are checked, their result types not enforced (a non-bool
    // expression is no warning); the matched kinds sorted by group, version and kind, each kind's issues ending in
    // a newline, the core group's GVK printed `/v1`.
    const matchConstraints = { resourceRules: [{ apiGroups: ['apps', ''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments', 'configmaps'] }] };
    const validations = [{ expression: 'object.spec.replicass > 1' }, { expression: 'object.metadata.name' }, { expression: 'true', messageExpression: 'object.spec.replicass' }];
    const p = await kubectl.run(['apply', '-f', '-'], policy('typed.example.com', { matchConstraints, validations, matchConditions: [{ name: 'm', expression: 'object.nope == 1' }] }));
    assert.equal(p.code, 0, p.stderr);
    const got = await eventually(
      () => server.request('GET', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/typed.example.com'),
      (r) => r.json.status?.observedGeneration === 1,
    );
    const noSpec = (expr: string) => `/v1, Kind=ConfigMap: ERROR: <input>:1:7: undefined field 'spec'\n | ${expr}\n | ......^\n`;
    const noReplicass = (expr: string) => `apps/v1, Kind=Deployment: ERROR: <input>:1:12: undefined field 'replicass'\n | ${expr}\n | ...........^\n`;
    assert.deepEqual(got.json.status.typeChecking, {
      expressionWarnings: [
        { fieldRef: 'spec.validations[0].expression', warning: `${noSpec('object.spec.replicass > 1')}\n${noReplicass('object.spec.replicass > 1')}` },
        { fieldRef: 'spec.validations[2].messageExpression', warning: `${noSpec('object.spec.replicass')}\n${noReplicass('object.spec.replicass')}` },
      ],
    });
    const fixed = await kubectl.run(['apply', '-f', '-'], policy('typed.example.com', { validations: [{ expression: 'object.spec.replicas > 1' }] }));
    assert.equal(fixed.code, 0, fixed.stderr);
    const again = await eventually(
      () => server.request('GET', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/typed.example.com'),
      (r) => r.json.status?.observedGeneration === 2,
    );
    assert.deepEqual(again.json.status.typeChecking, {});
  });

  it('types each kind\'s objects by name in type-checking warnings, so two different object fields never compare', async () => {
    // Upstream's typechecking.go names a kind's object type `<Kind><nanoseconds>` (generateUniqueTypeName) and its
    // nested ones after it (apiserver pkg/cel/types.go's MaybeAssignTypeName); cel-go compares object types by name.
    const matchConstraints = { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] };
    const expr = 'object.spec.template == object.spec.selector';
    const p = await kubectl.run(['apply', '-f', '-'], policy('objtypes.example.com', { matchConstraints, validations: [{ expression: expr }, { expression: 'object.spec == oldObject.spec' }] }));
    assert.equal(p.code, 0, p.stderr);
    const got = await eventually(
      () => server.request('GET', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/objtypes.example.com'),
      (r) => r.json.status?.observedGeneration === 1,
    );
    const warnings = got.json.status.typeChecking.expressionWarnings;
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.equal(warnings[0].fieldRef, 'spec.validations[0].expression');
    assert.match(warnings[0].warning, /^apps\/v1, Kind=Deployment: ERROR: <input>:1:22: found no matching overload for '_==_' applied to '\(Deployment(\d+)\.spec\.template, Deployment\1\.spec\.selector\)'\n \| object\.spec\.template == object\.spec\.selector\n \| \.{21}\^\n$/);
    await kubectl.run(['delete', 'validatingadmissionpolicy', 'objtypes.example.com']);
  });

  it('gives policies the authorizer, namespaceObject and request', async () => {
    const p = await kubectl.run(
      ['apply', '-f', '-'],
      policy('context.example.com', {
        validations: [
          {
            expression:
              "authorizer.group('apps').resource('deployments').namespace(object.metadata.namespace).check('delete').allowed() && namespaceObject.metadata.name == 'default' && request.operation == 'CREATE' && request.userInfo.username != '' && object.metadata.name != 'forbidden-name'",
            message: 'context check failed',
          },
        ],
      }),
    );
    assert.equal(p.code, 0, p.stderr);
    await kubectl.run(['apply', '-f', '-'], binding('context', 'context.example.com'));
    const denied = await eventually(() => server.request('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.parse(deployment('forbidden-name', 1))), (r) => r.status !== 201);
    assert.equal(denied.status, 422);
    assert.match(denied.json.message, /denied request: context check failed$/);
    const ok = await server.request('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.parse(deployment('ctx-ok', 1)));
    assert.equal(ok.status, 201, ok.text);
    await kubectl.run(['delete', 'validatingadmissionpolicybinding', 'context']);
  });

  it('sees a Namespace being created with its own name as request.namespace (empty with generateName), as upstream', async () => {
    // Upstream's create handler (since 1.24) gives admission the new Namespace's name as the request's namespace;
    // namespaceObject stays null for a Namespace request. (An empty namespace is left out of `request`.)
    const p = await kubectl.run(
      ['apply', '-f', '-'],
      policy('ns-request.example.com', {
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['namespaces'] }], objectSelector: { matchLabels: { 'ns-request': 'deny' } } },
        validations: [{ expression: 'false', messageExpression: "request.operation + ' namespace=[' + (has(request.namespace) ? request.namespace : '-') + '] nsObject=' + (namespaceObject == null ? 'null' : 'set')" }],
      }),
    );
    assert.equal(p.code, 0, p.stderr);
    await kubectl.run(['apply', '-f', '-'], binding('ns-request', 'ns-request.example.com'));
    const labels = { 'ns-request': 'deny' };
    const named = await eventually(() => server.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns-request-a', labels } }), (r) => r.status !== 201);
    assert.equal(named.status, 422, named.text);
    assert.match(named.json.message, /denied request: CREATE namespace=\[ns-request-a\] nsObject=null$/);
    const generated = await server.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { generateName: 'ns-request-', labels } });
    assert.equal(generated.status, 422, generated.text);
    assert.match(generated.json.message, /denied request: CREATE namespace=\[-\] nsObject=null$/);
    assert.equal((await server.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns-request-b' } })).status, 201);
    const updated = await server.request('PATCH', '/api/v1/namespaces/ns-request-b', { metadata: { labels } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(updated.status, 422, updated.text);
    assert.match(updated.json.message, /denied request: UPDATE namespace=\[ns-request-b\] nsObject=null$/);
    await kubectl.run(['delete', 'validatingadmissionpolicybinding', 'ns-request']);
  });

  it('asks the server authorizer (RBAC) for the requesting user', async () => {
    const p = await kubectl.run(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: 'deleters-only.example.com' },
        spec: {
          matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
          validations: [
            {
              expression: "authorizer.group('').resource('configmaps').namespace(object.metadata.namespace).check('delete').allowed()",
              messageExpression: "'user ' + request.userInfo.username + ' may not delete configmaps'",
              reason: 'Forbidden',
            },
          ],
        },
      }),
    );
    assert.equal(p.code, 0, p.stderr);
    await kubectl.run(['apply', '-f', '-'], binding('deleters-only', 'deleters-only.example.com'));
    assert.equal((await kubectl.run(['create', 'role', 'cm-creator', '--verb=create,get', '--resource=configmaps'])).code, 0);
    assert.equal((await kubectl.run(['create', 'rolebinding', 'cm-creator', '--role=cm-creator', '--user=dev'])).code, 0);
    const dev = testUser(server, 'dev');
    const denied = await eventually(() => dev.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'by-dev' } }), (r) => r.status === 403 && /may not delete/.test(r.text));
    assert.equal(denied.status, 403, denied.text);
    assert.equal(denied.json.message, `configmaps "by-dev" is forbidden: ValidatingAdmissionPolicy 'deleters-only.example.com' with binding 'deleters-only' denied request: user dev may not delete configmaps`);
    // The admin (system:masters) may delete, so may create.
    assert.equal((await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'by-admin' } })).status, 201);
    assert.equal((await kubectl.run(['create', 'role', 'cm-deleter', '--verb=delete', '--resource=configmaps'])).code, 0);
    assert.equal((await kubectl.run(['create', 'rolebinding', 'cm-deleter', '--role=cm-deleter', '--user=dev'])).code, 0);
    const ok = await eventually(() => dev.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'by-dev' } }), (r) => r.status === 201);
    assert.equal(ok.status, 201, ok.text);
    await kubectl.run(['delete', 'validatingadmissionpolicybinding', 'deleters-only']);
  });

  it('applies to the scale subresource (the object is a Scale) and warns through kubectl scale', async () => {
    const p = await kubectl.run(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: 'scale-limit.example.com' },
        spec: {
          matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['deployments/scale'] }] },
          validations: [{ expression: "object.kind == 'Scale' && object.spec.replicas <= 3", messageExpression: "'scaling to ' + string(object.spec.replicas) + ' needs approval'" }],
        },
      }),
    );
    assert.equal(p.code, 0, p.stderr);
    await kubectl.run(['apply', '-f', '-'], binding('scale-limit', 'scale-limit.example.com', { validationActions: ['Warn'] }));
    const r = await eventually(() => kubectl.run(['scale', 'deployment', 'web', '--replicas=4']), (r) => r.stderr.includes('Warning'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Warning: Validation failed for ValidatingAdmissionPolicy 'scale-limit.example.com' with binding 'scale-limit': scaling to 4 needs approval/);
    await kubectl.run(['delete', 'validatingadmissionpolicybinding', 'scale-limit']);
  });

  it('sees each item of a deletecollection with the request namespace and no name, as upstream', async () => {
    await kubectl.run(['create', 'namespace', 'dc-admission']);
    for (const name of ['a', 'b']) assert.equal((await kubectl.run(['create', 'configmap', name, '-n', 'dc-admission', '--from-literal=k=v'])).code, 0);
    // Only deletes that carry no name (the items of a collection delete) and see the item as oldObject pass.
    const p = await kubectl.run(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'collection-only.example.com' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['DELETE'], resources: ['configmaps'] }] },
        matchConditions: [{ name: 'ours', expression: "request.namespace == 'dc-admission'" }],
        validations: [{ expression: "request.name == '' && oldObject.metadata.name != ''", message: 'named delete' }],
      },
    }));
    assert.equal(p.code, 0, p.stderr);
    await kubectl.run(['apply', '-f', '-'], binding('collection-only', 'collection-only.example.com'));
    const single = await eventually(() => server.request('DELETE', '/api/v1/namespaces/dc-admission/configmaps/a'), (r) => r.status !== 200);
    assert.equal(single.status, 422, single.text);
    assert.match(single.json.message, /named delete/);
    const all = await server.request('DELETE', '/api/v1/namespaces/dc-admission/configmaps?labelSelector=');
    const left = await server.request('GET', '/api/v1/namespaces/dc-admission/configmaps');
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(left.json.items.map((i: { metadata: { name: string } }) => i.metadata.name).filter((n: string) => n !== 'kube-root-ca.crt'), []);
    await kubectl.run(['delete', 'validatingadmissionpolicybinding', 'collection-only']);
  });

  it('names a refused delete as upstream\'s admission.NewForbidden: the URL name, or "Unknown" for a deletecollection item', async () => {
    await kubectl.run(['create', 'namespace', 'delete-refused']);
    assert.equal((await kubectl.run(['create', 'configmap', 'kept', '-n', 'delete-refused', '--from-literal=k=v'])).code, 0);
    const p = await kubectl.run(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'no-deletes.example.com' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['DELETE'], resources: ['configmaps'] }] },
        matchConditions: [{ name: 'ours', expression: "request.namespace == 'delete-refused'" }],
        validations: [{ expression: 'false', message: 'kept forever', reason: 'Forbidden' }],
      },
    }));
    assert.equal(p.code, 0, p.stderr);
    await kubectl.run(['apply', '-f', '-'], binding('no-deletes', 'no-deletes.example.com'));
    const denial = "ValidatingAdmissionPolicy 'no-deletes.example.com' with binding 'no-deletes' denied request: kept forever";
    const single = await eventually(() => kubectl.run(['delete', 'configmap', 'kept', '-n', 'delete-refused']), (r) => r.code !== 0);
    assert.equal(single.stderr.trim(), `Error from server (Forbidden): configmaps "kept" is forbidden: ${denial}`);
    // A deletecollection's items are admitted without a name and without a new object: upstream calls them "Unknown".
    const all = await server.request('DELETE', '/api/v1/namespaces/delete-refused/configmaps?fieldSelector=metadata.name%3Dkept');
    assert.equal(all.status, 403, all.text);
    assert.equal(all.json.message, `configmaps "Unknown" is forbidden: ${denial}`);
    assert.deepEqual(all.json.details, { name: 'Unknown', kind: 'configmaps', causes: [{ message: denial }] });
    await kubectl.run(['delete', 'validatingadmissionpolicybinding', 'no-deletes']);
  });

  it('follows changes of policies and bindings from the next request on', async () => {
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'vap-now' } })).status, 201);
    const vap = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
    const bindings = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';
    const create = (name: string, replicas: number) => server.request('POST', '/apis/apps/v1/namespaces/vap-now/deployments', JSON.parse(deployment(name, replicas)));
    const only = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'vap-now' } } };
    assert.equal((await server.request('POST', vap, JSON.parse(policy('now.example.com', { validations: [{ expression: 'object.spec.replicas <= 1', message: 'one at most' }] })))).status, 201);
    // No retries below: every write is checked against the policies and bindings the previous response left.
    const bound = await server.request('POST', bindings, JSON.parse(binding('now', 'now.example.com', { matchResources: only })));
    assert.equal(bound.status, 201, bound.text);
    const denied = await create('two', 2);
    assert.equal(denied.status, 422, denied.text);
    assert.equal(denied.json.message, `deployments.apps "two" is forbidden: ValidatingAdmissionPolicy 'now.example.com' with binding 'now' denied request: one at most`);

    const warn = await server.request('PUT', `${bindings}/now`, { ...bound.json, spec: { ...bound.json.spec, validationActions: ['Warn'] } });
    assert.equal(warn.status, 200, warn.text);
    const warned = await create('two', 2);
    assert.equal(warned.status, 201, warned.text);
    assert.equal(warned.headers.warning, `299 - "Validation failed for ValidatingAdmissionPolicy 'now.example.com' with binding 'now': one at most"`);

    // A new generation of the policy is compiled and used at once.
    const current = (await server.request('GET', `${vap}/now.example.com`)).json;
    const changed = await server.request('PUT', `${vap}/now.example.com`, { ...current, spec: { ...current.spec, validations: [{ expression: 'object.spec.replicas <= 2', message: 'two at most' }] } });
    assert.equal(changed.status, 200, changed.text);
    assert.equal((await create('three', 3)).headers.warning, `299 - "Validation failed for ValidatingAdmissionPolicy 'now.example.com' with binding 'now': two at most"`);

    assert.equal((await server.request('DELETE', `${bindings}/now`)).status, 200);
    const unbound = await create('four', 4);
    assert.equal(unbound.status, 201, unbound.text);
    assert.equal(unbound.headers.warning, undefined);
    await server.request('DELETE', `${vap}/now.example.com`);
  });

  it('compiles and runs cel-go\'s optional syntax in validations, variables, matchConditions and messages', async () => {
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'vap-optional' } })).status, 201);
    const create = (name: string, replicas: number, labels: Record<string, string> = {}) => server.request('POST', '/apis/apps/v1/namespaces/vap-optional/deployments', JSON.parse(deployment(name, replicas, labels)));
    const p = policy('optional.example.com', {
      matchConditions: [{ name: 'not-exempt', expression: "!object.metadata.?labels[?'exempt'].hasValue()" }],
      variables: [{ name: 'team', expression: "object.metadata.?labels[?'team']" }],
      validations: [
        { expression: 'object.?spec.?replicas.orValue(1) <= 5', messageExpression: "'replicas ' + string(object.?spec.?replicas.orValue(1)) + ' over 5'" },
        { expression: "variables.team.orValue('') != 'blocked'", message: 'team blocked' },
      ],
    });
    const created = await server.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies', JSON.parse(p));
    assert.equal(created.status, 201, created.text);
    const only = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'vap-optional' } } };
    assert.equal((await server.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', JSON.parse(binding('optional', 'optional.example.com', { matchResources: only })))).status, 201);

    const many = await create('many', 7);
    assert.equal(many.status, 422, many.text);
    assert.equal(many.json.message, `deployments.apps "many" is forbidden: ValidatingAdmissionPolicy 'optional.example.com' with binding 'optional' denied request: replicas 7 over 5`);
    const blocked = await create('blocked', 2, { team: 'blocked' });
    assert.equal(blocked.status, 422, blocked.text);
    assert.match(blocked.json.message, /denied request: team blocked$/);
    assert.equal((await create('few', 3, { team: 'a' })).status, 201);
    assert.equal((await create('exempt', 9, { exempt: 'yes' })).status, 201);
    await server.request('DELETE', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/optional');
    await server.request('DELETE', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/optional.example.com');
  });
});
