/**
 * Server-side apply as real clients use it: kubectl (`apply --server-side` with its field managers, conflicts and
 * --force-conflicts, client-side apply followed by server-side apply, `get --show-managed-fields`), the official
 * JavaScript client's PatchStrategy.ServerSideApply, the Python client, and a custom resource kind.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const conflictAdvice = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
`;

const cm = (name: string, data: Record<string, string>, labels?: Record<string, string>) =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${name}`,
    ...(labels ? ['  labels:', ...Object.entries(labels).map(([k, v]) => `    ${k}: "${v}"`)] : []),
    'data:',
    ...Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`),
    '',
  ].join('\n');

describe('server-side apply with kubectl', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server.stop();
  });

  const getCM = async (name: string) => JSON.parse((await kubectl.run(['get', 'cm', name, '-o', 'json', '--show-managed-fields'])).stdout);

  it('creates and changes with apply --server-side', async () => {
    const created = await kubectl.run(['apply', '--server-side', '-f', '-'], cm('k1', { a: '1' }));
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'configmap/k1 serverside-applied\n');
    const changed = await kubectl.run(['apply', '--server-side', '-f', '-'], cm('k1', { a: '2' }));
    assert.equal(changed.code, 0, changed.stderr);
    assert.equal(changed.stdout, 'configmap/k1 serverside-applied\n');
    const obj = await getCM('k1');
    assert.deepEqual(obj.data, { a: '2' });
    assert.deepEqual(
      obj.metadata.managedFields.map((e: { manager: string; operation: string }) => [e.manager, e.operation]),
      [['kubectl', 'Apply']],
    );
  });

  it('reports a conflict between two field managers as upstream kubectl prints it, and --force-conflicts takes over', async () => {
    assert.equal((await kubectl.run(['apply', '--server-side', '--field-manager=alice', '-f', '-'], cm('k2', { a: '1' }))).code, 0);
    const conflict = await kubectl.run(['apply', '--server-side', '--field-manager=bob', '-f', '-'], cm('k2', { a: '2' }));
    assert.equal(conflict.code, 1);
    assert.equal(conflict.stderr, `error: Apply failed with 1 conflict: conflict with "alice": .data.a\n${conflictAdvice}`);
    assert.deepEqual((await getCM('k2')).data, { a: '1' });
    const forced = await kubectl.run(['apply', '--server-side', '--field-manager=bob', '--force-conflicts', '-f', '-'], cm('k2', { a: '2' }));
    assert.equal(forced.code, 0, forced.stderr);
    const obj = await getCM('k2');
    assert.deepEqual(obj.data, { a: '2' });
    const bob = obj.metadata.managedFields.find((e: { manager: string }) => e.manager === 'bob');
    assert.deepEqual(bob.fieldsV1, { 'f:data': { 'f:a': {} } });
    assert.equal(obj.metadata.managedFields.find((e: { manager: string }) => e.manager === 'alice'), undefined, 'alice owns nothing any more');
  });

  it('removes a field the manager no longer applies', async () => {
    assert.equal((await kubectl.run(['apply', '--server-side', '-f', '-'], cm('k3', { a: '1', b: '2' }, { tier: 'x' }))).code, 0);
    const r = await kubectl.run(['apply', '--server-side', '-f', '-'], cm('k3', { a: '1' }));
    assert.equal(r.code, 0, r.stderr);
    const obj = await getCM('k3');
    assert.deepEqual(obj.data, { a: '1' });
    assert.equal(obj.metadata.labels, undefined);
  });

  it('takes over from client-side apply without conflicts, and keeps last-applied-configuration up to date', async () => {
    const csa = await kubectl.run(['apply', '-f', '-'], cm('k4', { a: '1', b: '1' }));
    assert.equal(csa.code, 0, csa.stderr);
    assert.equal(csa.stdout, 'configmap/k4 created\n');
    const csa2 = await kubectl.run(['apply', '-f', '-'], cm('k4', { a: '1', b: '2' }));
    assert.equal(csa2.code, 0, csa2.stderr);
    const before = await getCM('k4');
    assert.deepEqual(
      before.metadata.managedFields.map((e: { manager: string; operation: string }) => `${e.manager}/${e.operation}`),
      ['kubectl-client-side-apply/Update'],
    );
    const ssa = await kubectl.run(['apply', '--server-side', '-f', '-'], cm('k4', { a: '3', b: '2' }));
    assert.equal(ssa.code, 0, ssa.stderr);
    assert.equal(ssa.stdout, 'configmap/k4 serverside-applied\n');
    const obj = await getCM('k4');
    assert.deepEqual(obj.data, { a: '3', b: '2' });
    const last = JSON.parse(obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    assert.deepEqual(last.data, { a: '3', b: '2' });
    // Another manager is not kubectl: the fields client-side apply set are its conflicts.
    const other = await kubectl.run(['apply', '--server-side', '--field-manager=other', '-f', '-'], cm('k4', { a: '9' }));
    assert.equal(other.code, 1);
    assert.match(other.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.data\.a\n/);
    // And back to client-side apply: the annotation it diffs against is current.
    const back = await kubectl.run(['apply', '-f', '-'], cm('k4', { a: '3' }));
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual((await getCM('k4')).data, { a: '3' });
  });

  it('shows managedFields with --show-managed-fields and hides them without', async () => {
    await kubectl.run(['apply', '--server-side', '-f', '-'], cm('k5', { a: '1' }));
    const shown = await kubectl.run(['get', 'cm', 'k5', '-o', 'yaml', '--show-managed-fields']);
    assert.equal(shown.code, 0, shown.stderr);
    const doc = parseYaml(shown.stdout);
    assert.deepEqual(doc.metadata.managedFields.map((e: Record<string, unknown>) => Object.keys(e).sort()), [['apiVersion', 'fieldsType', 'fieldsV1', 'manager', 'operation', 'time']]);
    assert.match(shown.stdout, /  managedFields:\n  - apiVersion: v1\n    fieldsType: FieldsV1\n    fieldsV1:\n      f:data:\n        f:a: \{\}\n    manager: kubectl\n    operation: Apply\n    time: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\n/);
    const hidden = await kubectl.run(['get', 'cm', 'k5', '-o', 'yaml']);
    assert.equal(hidden.code, 0, hidden.stderr);
    assert.ok(!hidden.stdout.includes('managedFields'), hidden.stdout);
  });

  it('records kubectl edit-like and create writes under the User-Agent names', async () => {
    const created = await kubectl.run(['create', 'configmap', 'k6', '--from-literal=a=1']);
    assert.equal(created.code, 0, created.stderr);
    const label = await kubectl.run(['label', 'cm', 'k6', 'x=y']);
    assert.equal(label.code, 0, label.stderr);
    const obj = await getCM('k6');
    assert.deepEqual(obj.metadata.managedFields.map((e: { manager: string }) => e.manager), ['kubectl-create', 'kubectl-label']);
  });

  it('dry-runs apply --server-side', async () => {
    const r = await kubectl.run(['apply', '--server-side', '--dry-run=server', '-f', '-'], cm('k7', { a: '1' }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'configmap/k7 serverside-applied (server dry run)\n');
    assert.equal((await kubectl.run(['get', 'cm', 'k7'])).code, 1);
  });

  it('sees kubectl scale as a manager of replicas through the scale subresource', async () => {
    const deployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
`;
    const created = await kubectl.run(['apply', '--server-side', '-f', '-'], deployment(1));
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'deployment.apps/web serverside-applied\n');
    const scaled = await kubectl.run(['scale', 'deployment', 'web', '--replicas=3']);
    assert.equal(scaled.code, 0, scaled.stderr);
    const obj = JSON.parse((await kubectl.run(['get', 'deploy', 'web', '-o', 'json', '--show-managed-fields'])).stdout);
    const scaler = obj.metadata.managedFields.find((e: { subresource?: string }) => e.subresource === 'scale');
    // kubectl scale names no field manager: its User-Agent (`kubectl/v1.32...`) does.
    assert.deepEqual([scaler.manager, scaler.operation, scaler.fieldsV1], ['kubectl', 'Update', { 'f:spec': { 'f:replicas': {} } }]);
    const conflict = await kubectl.run(['apply', '--server-side', '-f', '-'], deployment(2));
    assert.equal(conflict.code, 1);
    assert.equal(conflict.stderr, `error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas\n${conflictAdvice}`);
  });

  it('applies a custom resource server-side, with conflicts between managers', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
              color: {type: string}
              ports:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    port: {type: integer}
          status:
            type: object
            properties:
              ready: {type: boolean}
`;
    const made = await kubectl.run(['apply', '--server-side', '-f', '-'], crd);
    assert.equal(made.code, 0, made.stderr);
    await eventually(async () => (await kubectl.run(['get', 'widgets'])).code === 0, 'widgets served');
    const widget = (size: number, port: number) => `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w1
spec:
  size: ${size}
  ports:
  - name: http
    port: ${port}
`;
    const created = await kubectl.run(['apply', '--server-side', '--field-manager=team-a', '-f', '-'], widget(1, 80));
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'widget.example.com/w1 serverside-applied\n');
    const conflict = await kubectl.run(['apply', '--server-side', '--field-manager=team-b', '-f', '-'], widget(2, 81));
    assert.equal(conflict.code, 1);
    // As upstream's sets iterate: a level's own fields before those below its children.
    assert.equal(conflict.stderr, `error: Apply failed with 2 conflicts: conflicts with "team-a":\n- .spec.size\n- .spec.ports[name="http"].port\n${conflictAdvice}`);
    const forced = await kubectl.run(['apply', '--server-side', '--field-manager=team-b', '--force-conflicts', '-f', '-'], widget(2, 81));
    assert.equal(forced.code, 0, forced.stderr);
    const obj = JSON.parse((await kubectl.run(['get', 'widget', 'w1', '-o', 'json', '--show-managed-fields'])).stdout);
    assert.deepEqual(obj.spec, { size: 2, ports: [{ name: 'http', port: 81 }] });
    const b = obj.metadata.managedFields.find((e: { manager: string }) => e.manager === 'team-b');
    assert.deepEqual(b.fieldsV1, { 'f:spec': { 'f:ports': { 'k:{"name":"http"}': { '.': {}, 'f:name': {}, 'f:port': {} } }, 'f:size': {} } });
    // Status sent to the resource itself is not stored, and nobody gets it.
    const withStatus = await server.request(
      'PATCH',
      '/apis/example.com/v1/namespaces/default/widgets/w1?fieldManager=team-b&force=true',
      JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 2, ports: [{ name: 'http', port: 81 }] }, status: { ready: false } }),
      { 'Content-Type': 'application/apply-patch+yaml' },
    );
    assert.equal(withStatus.status, 200, withStatus.text);
    assert.equal(withStatus.json.status, undefined);
    assert.ok(!JSON.stringify(withStatus.json.metadata.managedFields).includes('f:status'));
    // The status subresource: its own entry; the main resource's appliers never own status.
    const st = await server.request(
      'PATCH',
      '/apis/example.com/v1/namespaces/default/widgets/w1/status?fieldManager=widget-controller',
      JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, status: { ready: true } }),
      { 'Content-Type': 'application/apply-patch+yaml' },
    );
    assert.equal(st.status, 200, st.text);
    const ctrl = st.json.metadata.managedFields.find((e: { manager: string }) => e.manager === 'widget-controller');
    assert.equal(ctrl.subresource, 'status');
    assert.deepEqual(ctrl.fieldsV1, { 'f:status': { 'f:ready': {} } });
  });
});

describe('server-side apply with client libraries', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  it('@kubernetes/client-node applies with PatchStrategy.ServerSideApply', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    const client = k8s.KubernetesObjectApi.makeApiClient(kc);
    const spec = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'js1', namespace: 'default' }, data: { a: '1' } };
    const created = await client.patch(spec, undefined, undefined, 'js-client', false, k8s.PatchStrategy.ServerSideApply);
    assert.deepEqual((created as { data?: unknown }).data, { a: '1' });
    const changed = await client.patch({ ...spec, data: { a: '2' } }, undefined, undefined, 'js-client', false, k8s.PatchStrategy.ServerSideApply);
    assert.deepEqual((changed as { data?: unknown }).data, { a: '2' });
    assert.deepEqual((changed as k8s.V1ConfigMap).metadata?.managedFields?.map((e) => [e.manager, e.operation]), [["js-client", "Apply"]]);
    await assert.rejects(
      client.patch({ ...spec, data: { a: '3' } }, undefined, undefined, 'other', false, k8s.PatchStrategy.ServerSideApply),
      (e: { code?: number; body?: string }) => e.code === 409 && JSON.parse(e.body!).message === 'Apply failed with 1 conflict: conflict with "js-client": .data.a',
    );
  });

  it('the Python client applies with application/apply-patch+yaml', async (t) => {
    // Debian's python3-kubernetes lives in the system interpreter, which a pyenv shim first on PATH hides.
    const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import kubernetes'], { encoding: 'utf8' }).status === 0);
    if (!python) {
      t.skip('python3-kubernetes is not installed (apt-get install -y python3-kubernetes)');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'kube-ts-py-'));
    const script = join(dir, 'apply.py');
    writeFileSync(
      script,
      `import json, sys, yaml
from kubernetes import client, config
from kubernetes.client.rest import ApiException
config.load_kube_config(config_file=sys.argv[1])
api = client.ApiClient()
def apply(body, manager, force=False):
    q = [('fieldManager', manager)] + ([('force', 'true')] if force else [])
    return api.call_api('/api/v1/namespaces/{namespace}/configmaps/{name}', 'PATCH',
        path_params={'namespace': 'default', 'name': body['metadata']['name']}, query_params=q,
        header_params={'Content-Type': 'application/apply-patch+yaml', 'Accept': 'application/json'},
        # This client sends only JSON content types from objects: the configuration goes as YAML text.
        body=yaml.safe_dump(body), response_type='object', auth_settings=['BearerToken'], _return_http_data_only=True)
cm = {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'py1'}, 'data': {'a': '1'}}
out = apply(cm, 'python')
try:
    apply(dict(cm, data={'a': '2'}), 'someone-else')
    conflict = None
except ApiException as e:
    conflict = {'status': e.status, 'message': json.loads(e.body)['message']}
forced = apply(dict(cm, data={'a': '2'}), 'someone-else', force=True)
print(json.dumps({'created': out['data'], 'managers': [m['manager'] for m in out['metadata']['managedFields']], 'conflict': conflict, 'forced': forced['data']}))
`,
    );
    const run = spawnSync(python, [script, server.kubeconfig], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      created: { a: '1' },
      managers: ['python'],
      conflict: { status: 409, message: 'Apply failed with 1 conflict: conflict with "python": .data.a' },
      forced: { a: '2' },
    });
  });
});
