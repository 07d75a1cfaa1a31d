/**
 * The real kubectl (default strict validation, which reads /openapi/v3 first) against a real server process,
 * through every command of issue #2's "done when" list: once on the embedded SQLite store and once on etcd.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEtcd } from '../support/etcd.ts';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { suiteTeardown, type Teardown } from '../support/teardown.ts';

const namespaceYaml = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
`;
const configMapYaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: c1
  namespace: demo
data:
  greeting: hello
`;
const secretYaml = (data: string) => `apiVersion: v1
kind: Secret
metadata:
  name: s1
  namespace: demo
${data}
`;

/** `setup` starts the server (and what it stores in) with `t`, which stops them after the suite. */
function suite(backend: string, setup: (t: Teardown) => Promise<TestServer>) {
  describe(`kubectl against ${backend}`, () => {
    const teardown = suiteTeardown();
    let server: TestServer;
    let kubectl: ReturnType<typeof kubectlRunner>;
    /** Runs kubectl and expects success; returns stdout. */
    const ok = async (args: string[], input?: string) => {
      const r = await kubectl.run(args, input);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
      return r.stdout;
    };

    before(async () => {
      server = await setup(teardown);
      kubectl = kubectlRunner(server.kubeconfig);
    });

    test('get ns lists the system namespaces as Active', async () => {
      const out = await ok(['get', 'ns']);
      const lines = out.trimEnd().split('\n');
      assert.match(lines[0], /^NAME\s+STATUS\s+AGE$/);
      for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
        assert.ok(lines.some((l) => new RegExp(`^${ns}\\s+Active\\s+\\d+[smh]`).test(l)), `${ns} in:\n${out}`);
      }
    });

    test('apply -f of a Namespace creates it, and again leaves it unchanged', async () => {
      assert.equal(await ok(['apply', '-f', '-'], namespaceYaml), 'namespace/demo created\n');
      assert.equal(await ok(['apply', '-f', '-'], namespaceYaml), 'namespace/demo unchanged\n');
      const ns = JSON.parse(await ok(['get', 'ns', 'demo', '-o', 'json']));
      assert.ok(ns.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    });

    test('create -f of a ConfigMap; a second create is AlreadyExists', async () => {
      assert.equal(await ok(['create', '-f', '-'], configMapYaml), 'configmap/c1 created\n');
      const again = await kubectl.run(['create', '-f', '-'], configMapYaml);
      assert.notEqual(again.code, 0);
      assert.match(again.stderr, /Error from server \(AlreadyExists\): error when creating "STDIN": configmaps "c1" already exists/);
    });

    test('create -f with a field the schema does not have is refused (strict validation)', async () => {
      const r = await kubectl.run(['create', '-f', '-'], configMapYaml.replace('name: c1', 'name: c9').replace(/^data:/m, 'spec:\n  replicas: 1\ndata:'));
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /unknown field "spec"/);
      const missing = await kubectl.run(['get', 'cm', 'c9', '-n', 'demo']);
      assert.match(missing.stderr, /configmaps "c9" not found/);
    });

    test('get cm -n demo shows a table row', async () => {
      const out = await ok(['get', 'cm', '-n', 'demo']);
      const lines = out.trimEnd().split('\n');
      assert.match(lines[0], /^NAME\s+DATA\s+AGE$/);
      assert.match(lines.find((l) => l.startsWith('c1 ')) ?? '', /^c1\s+1\s+\d+s$/);
    });

    test('get cm c1 -n demo -o yaml shows the stored object', async () => {
      const out = await ok(['get', 'cm', 'c1', '-n', 'demo', '-o', 'yaml']);
      assert.match(out, /^apiVersion: v1$/m);
      assert.match(out, /^kind: ConfigMap$/m);
      assert.match(out, /^data:\n {2}greeting: hello$/m);
      assert.match(out, /^ {2}name: c1$/m);
      assert.match(out, /^ {2}namespace: demo$/m);
      assert.match(out, /^ {2}resourceVersion: "\d+"$/m);
      assert.match(out, /^ {2}uid: [0-9a-f-]{36}$/m);
    });

    test('apply -f of a new Secret folds stringData into data, then replace -f of an edited one', async () => {
      assert.equal(await ok(['apply', '-f', '-'], secretYaml('stringData:\n  password: hunter2')), 'secret/s1 created\n');
      const created = JSON.parse(await ok(['get', 'secret', 's1', '-n', 'demo', '-o', 'json']));
      assert.equal(created.type, 'Opaque');
      assert.deepEqual(created.data, { password: Buffer.from('hunter2').toString('base64') });
      assert.equal(created.stringData, undefined);

      // replace: a PUT carrying the resourceVersion of what we read.
      created.data.user = Buffer.from('admin').toString('base64');
      assert.equal(await ok(['replace', '-f', '-'], JSON.stringify(created)), 'secret/s1 replaced\n');
      const replaced = JSON.parse(await ok(['get', 'secret', 's1', '-n', 'demo', '-o', 'json']));
      assert.deepEqual(replaced.data, { password: created.data.password, user: created.data.user });
      assert.ok(Number(replaced.metadata.resourceVersion) > Number(created.metadata.resourceVersion));

      // Replacing from the stale copy again is a conflict.
      const stale = await kubectl.run(['replace', '-f', '-'], JSON.stringify(created));
      assert.notEqual(stale.code, 0);
      assert.match(stale.stderr, /Operation cannot be fulfilled on secrets "s1": the object has been modified/);
    });

    test('get -o json | replace -f - of a List validates each item against /openapi/v2, as against kube-apiserver', async () => {
      // kubectl checks a v1 List on the client, with the schemas of the protobuf /openapi/v2.
      const list = JSON.parse(await ok(['get', 'cm/c1', 'secret/s1', '-n', 'demo', '-o', 'json']));
      assert.equal(list.kind, 'List');
      assert.equal(await ok(['replace', '-f', '-'], JSON.stringify(list)), 'configmap/c1 replaced\nsecret/s1 replaced\n');

      const cm = list.items.find((i: { kind: string }) => i.kind === 'ConfigMap');
      const bad = { ...list, items: [{ ...cm, metadata: { ...cm.metadata, labelz: {} }, dataa: {} }, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 'three' } }] };
      const refused = await kubectl.run(['replace', '-f', '-'], JSON.stringify(bad));
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /unknown field "dataa" in io\.k8s\.api\.core\.v1\.ConfigMap/);
      assert.match(refused.stderr, /unknown field "labelz" in io\.k8s\.apimachinery\.pkg\.apis\.meta\.v1\.ObjectMeta/);
      assert.match(refused.stderr, /invalid type for io\.k8s\.api\.apps\.v1\.DeploymentSpec\.replicas: got "string", expected "integer"/);
    });

    test('get cm -n demo -w shows changes as they happen', async () => {
      const watch = kubectl.start(['get', 'cm', '-n', 'demo', '-w']);
      try {
        await eventually(() => /^c1\s+1\s+/m.test(watch.output()), `the initial list in:\n${watch.output()}${watch.errors()}`);
        await ok(['create', 'configmap', 'c2', '-n', 'demo', '--from-literal=a=1', '--from-literal=b=2']);
        await eventually(() => /^c2\s+2\s+/m.test(watch.output()), `c2 to appear in:\n${watch.output()}${watch.errors()}`);
        await ok(['delete', 'cm', 'c2', '-n', 'demo']);
        // kubectl prints a deleted object's row once more.
        await eventually(() => (watch.output().match(/^c2\s+/gm) ?? []).length >= 2, `c2's deletion in:\n${watch.output()}`);
        assert.equal(watch.errors(), '');
      } finally {
        watch.stop();
      }
    });

    test('api-resources lists the served kinds', async () => {
      const out = await ok(['api-resources']);
      const lines = out.trimEnd().split('\n');
      assert.match(lines[0], /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
      assert.ok(lines.some((l) => /^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/.test(l)), out);
      assert.ok(lines.some((l) => /^namespaces\s+ns\s+v1\s+false\s+Namespace$/.test(l)), out);
      assert.ok(lines.some((l) => /^secrets\s+v1\s+true\s+Secret$/.test(l)), out);
    });

    test('explain configmap.data describes the field', async () => {
      const out = await ok(['explain', 'configmap.data']);
      assert.match(out, /^KIND:\s+ConfigMap$/m);
      assert.match(out, /^VERSION:\s+v1$/m);
      assert.match(out, /^FIELD: data <map\[string\]string>$/m);
      assert.match(out, /DESCRIPTION:\n\s+\S/);
    });

    test('explain names Quantity and IntOrString fields by their type, as against kube-apiserver', async () => {
      // kubectl names a referenced schema that has no single type by its name: OpenAPI v3's scalar unions.
      const resources = await ok(['explain', 'pod.spec.containers.resources']);
      assert.match(resources, /^  limits\t<map\[string\]Quantity>$/m);
      assert.match(resources, /^  requests\t<map\[string\]Quantity>$/m);
      assert.match(await ok(['explain', 'deployment.spec.strategy.rollingUpdate']), /^  maxSurge\t<IntOrString>$/m);
      assert.match(await ok(['explain', 'pod.spec.containers.livenessProbe.httpGet.port']), /^FIELD: port <IntOrString>$/m);
    });

    test('explain names free-form JSON fields by their Go type (FieldsV1, RawExtension, JSON), as against kube-apiserver', async () => {
      // Each refers to a named definition that is an object or has no type, which kubectl names after the definition.
      assert.match(await ok(['explain', 'pod.metadata.managedFields']), /^  fieldsV1\t<FieldsV1>$/m);
      assert.match(await ok(['explain', 'controllerrevisions']), /^  data\t<RawExtension>$/m);
      assert.match(await ok(['explain', 'controllerrevision.data']), /^FIELD: data <RawExtension>$/m);
      const schema = await ok(['explain', 'customresourcedefinitions.spec.versions.schema.openAPIV3Schema']);
      assert.match(schema, /^  default\t<JSON>$/m);
      assert.match(schema, /^  enum\t<\[\]JSON>$/m);
      assert.match(schema, /^  example\t<JSON>$/m);
    });

    test('explain --output=plaintext-openapiv2 reads the Swagger 2.0 document (protobuf /openapi/v2)', async () => {
      const spec = await ok(['explain', '--output=plaintext-openapiv2', 'deployment.spec']);
      assert.match(spec, /^   replicas\t<integer>$/m);
      assert.match(spec, /^   template\t<Object> -required-$/m);
      // Swagger 2.0 writes Quantity as a string, as kube-openapi's v2 does.
      assert.match(await ok(['explain', '--output=plaintext-openapiv2', 'pod.spec.containers.resources']), /^   limits\t<map\[string\]string>$/m);
    });

    test('delete cm c1 -n demo waits until it is gone', async () => {
      assert.equal(await ok(['delete', 'cm', 'c1', '-n', 'demo']), 'configmap "c1" deleted\n');
      const r = await kubectl.run(['get', 'cm', 'c1', '-n', 'demo']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /Error from server \(NotFound\): configmaps "c1" not found/);
      // --wait with a watch on fieldSelector=metadata.name=<name> also ends for objects that are already gone.
      const missing = await kubectl.run(['delete', 'cm', 'c1', '-n', 'demo']);
      assert.match(missing.stderr, /configmaps "c1" not found/);
    });

    test('create in a namespace that does not exist is NotFound', async () => {
      const r = await kubectl.run(['create', 'configmap', 'x', '-n', 'no-such-ns']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /namespaces "no-such-ns" not found/);
    });

    test('delete ns demo removes the namespace with everything in it', async () => {
      assert.equal(await ok(['delete', 'ns', 'demo']), 'namespace "demo" deleted\n');
      const ns = await kubectl.run(['get', 'ns', 'demo']);
      assert.match(ns.stderr, /namespaces "demo" not found/);
      // What is left is the root CA publisher's kube-root-ca.crt in the other namespaces.
      const left = await kubectl.run(['get', 'secrets,configmaps', '-A', '--field-selector', 'metadata.name!=kube-root-ca.crt']);
      assert.equal(left.stdout, '');
      assert.match(left.stderr, /^No resources found$/m);
    });
  });
}

suite('the embedded SQLite store', (t) => startServer({ t }));

suite('etcd (--etcd-servers)', async (t) => {
  const etcd = await startEtcd({ t });
  return startServer({ args: ['--etcd-servers', etcd.endpoint], t });
});
