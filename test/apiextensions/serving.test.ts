/**
 * Custom resources served live, as a user sees them: a CRD created with kubectl is established and its objects are
 * served at once (kubectl create/get/list/-o wide/selectors/patch/scale/explain/api-resources/delete, HTTP watch,
 * status and scale subresources, @kubernetes/client-node's CustomObjectsApi); deleting the CRD deletes its objects
 * first, then the CRD.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const crdName = 'crontabs.stable.example.com';
const base = '/apis/stable.example.com/v1';

const crdYAML = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${crdName}
spec:
  group: stable.example.com
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames: [ct]
    categories: [all]
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        description: CronTab runs a command on a schedule.
        type: object
        properties:
          spec:
            description: What to run and when.
            type: object
            properties:
              cronSpec:
                description: The schedule, in cron format.
                type: string
              image:
                description: The container image to run.
                type: string
              replicas:
                type: integer
          status:
            type: object
            properties:
              replicas:
                type: integer
              labelSelector:
                type: string
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
        labelSelectorPath: .status.labelSelector
    additionalPrinterColumns:
    - name: Spec
      type: string
      jsonPath: .spec.cronSpec
    - name: Replicas
      type: integer
      jsonPath: .spec.replicas
    - name: Image
      type: string
      priority: 1
      jsonPath: .spec.image
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    selectableFields:
    - jsonPath: .spec.image
`;

function cronTab(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): string {
  return JSON.stringify({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name, labels }, spec });
}

describe('custom resources served live', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  const ok = async (args: string[], input?: string) => {
    const r = await kubectl.run(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  /** Waits for the naming and establishing controllers to establish the CRD and for its objects to be served. */
  const establish = async (name = crdName, list = `${base}/crontabs`) => {
    const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`;
    await eventually(async () => ((await server.request('GET', path)).json?.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True'), `${name} to be established`);
    await eventually(async () => (await server.request('GET', list)).status === 200, `${list} to be served`);
  };

  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
  });

  it('a CRD created with kubectl becomes Established without finalizers (its first delete adds the cleanup one) and is listed by api-resources', async () => {
    assert.match(await ok(['create', '-f', '-'], crdYAML), /customresourcedefinition.apiextensions.k8s.io\/crontabs.stable.example.com created/);
    await establish();
    const crd = (await server.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`)).json;
    assert.equal(crd.metadata.finalizers, undefined);

    const resources = await ok(['api-resources', '--api-group', 'stable.example.com']);
    assert.match(resources, /^crontabs\s+ct\s+stable\.example\.com\/v1\s+true\s+CronTab$/m);
    const all = await ok(['api-resources', '--categories', 'all', '-o', 'name']);
    assert.match(all, /^crontabs\.stable\.example\.com$/m);
    // Legacy discovery too (the Python client reads only that).
    const legacy = (await server.request('GET', base)).json;
    assert.deepEqual(
      legacy.resources.map((r: { name: string }) => r.name),
      ['crontabs', 'crontabs/scale', 'crontabs/status'],
    );
    assert.deepEqual(legacy.resources[0].shortNames, ['ct']);
  });

  it('kubectl creates, gets with printer columns (-o wide), selects by label and field, and explains', async () => {
    await ok(['create', '-f', '-'], cronTab('nightly', { cronSpec: '0 0 * * *', image: 'nginx', replicas: 1 }, { tier: 'batch' }));
    await ok(['create', '-f', '-'], cronTab('hourly', { cronSpec: '0 * * * *', image: 'redis', replicas: 2 }, { tier: 'web' }));

    const table = await ok(['get', 'ct']);
    assert.match(table, /^NAME\s+SPEC\s+REPLICAS\s+AGE$/m);
    assert.match(table, /^nightly\s+0 0 \* \* \*\s+1\s+\d+s$/m);
    const wide = await ok(['get', 'crontabs', '-o', 'wide']);
    assert.match(wide, /^NAME\s+SPEC\s+REPLICAS\s+IMAGE\s+AGE$/m);
    assert.match(wide, /^hourly\s+0 \* \* \* \*\s+2\s+redis\s+\d+s$/m);

    assert.deepEqual((await ok(['get', 'ct', '-l', 'tier=web', '-o', 'name'])).trim().split('\n'), ['crontab.stable.example.com/hourly']);
    assert.deepEqual((await ok(['get', 'ct', '--field-selector', 'spec.image=nginx', '-o', 'name'])).trim().split('\n'), ['crontab.stable.example.com/nightly']);
    assert.deepEqual((await ok(['get', 'ct', '--field-selector', 'metadata.name=hourly', '-o', 'name'])).trim().split('\n'), ['crontab.stable.example.com/hourly']);
    const badField = await kubectl.run(['get', 'ct', '--field-selector', 'spec.cronSpec=x']);
    assert.notEqual(badField.code, 0);
    assert.match(badField.stderr, /field label not supported: spec.cronSpec/);

    const explained = await ok(['explain', 'crontab.spec']);
    assert.match(explained, /GROUP:\s+stable\.example\.com/);
    assert.match(explained, /What to run and when\./);
    assert.match(explained, /cronSpec\s+<string>/);
    assert.match(explained, /The schedule, in cron format\./);
    const v3 = (await server.request('GET', '/openapi/v3/apis/stable.example.com/v1')).json;
    assert.deepEqual(v3.components.schemas['com.example.stable.v1.CronTab']['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    const v2 = (await server.request('GET', '/openapi/v2', undefined, { Accept: 'application/json' })).json;
    assert.ok(v2.definitions['com.example.stable.v1.CronTab'], 'in the v2 definitions');
    assert.ok(v2.definitions['com.example.stable.v1.CronTabList'], 'with its list');
  });

  it('patches with JSON and merge patches; a strategic merge patch is 415 as upstream', async () => {
    await ok(['patch', 'ct', 'nightly', '--type=merge', '-p', '{"spec":{"image":"nginx:1.27"}}']);
    await ok(['patch', 'ct', 'nightly', '--type=json', '-p', '[{"op":"replace","path":"/spec/cronSpec","value":"5 0 * * *"}]']);
    const got = JSON.parse(await ok(['get', 'ct', 'nightly', '-o', 'json']));
    assert.deepEqual(got.spec, { cronSpec: '5 0 * * *', image: 'nginx:1.27', replicas: 1 });
    assert.equal(got.metadata.generation, 3, 'every spec change counts');
    const strategic = await kubectl.run(['patch', 'ct', 'nightly', '-p', '{"spec":{"image":"x"}}']);
    assert.notEqual(strategic.code, 0);
    assert.match(strategic.stderr, /UnsupportedMediaType|unknown format/);
    const raw = await server.request('PATCH', `${base}/namespaces/default/crontabs/nightly`, { spec: { image: 'x' } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(raw.status, 415);
    assert.equal(raw.json.message, 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
  });

  it('kubectl apply creates, then changes with a merge patch; kubectl get -w prints the rows as they change', async () => {
    const manifest = (image: string) => cronTab('applied', { cronSpec: '*/5 * * * *', image, replicas: 1 }, { kind: 'applied' });
    assert.match(await ok(['apply', '-f', '-'], manifest('app:1')), /crontab.stable.example.com\/applied created/);
    const watcher = kubectl.start(['get', 'ct', '-l', 'kind=applied', '-w', '--output-watch-events']);
    try {
      await eventually(() => /^ADDED\s+applied\s+\*\/5 \* \* \* \*\s+1\s+\d+s$/m.test(watcher.output()), `the ADDED row (got ${JSON.stringify(watcher.output())})`);
      assert.match(await ok(['apply', '-f', '-'], manifest('app:2')), /crontab.stable.example.com\/applied configured/);
      await eventually(() => /^MODIFIED\s+applied\s/m.test(watcher.output()), 'the MODIFIED row').catch((e) => {
        throw new Error(`${e.message}: ${JSON.stringify(watcher.output())} ${watcher.errors()}`);
      });
    } finally {
      watcher.stop();
    }
    const got = (await server.request('GET', `${base}/namespaces/default/crontabs/applied`)).json;
    assert.equal(got.spec.image, 'app:2');
    assert.ok(got.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'].includes('app:2'));
  });

  it('the status subresource owns .status; main-resource writes keep it; scale reads and writes replicas (kubectl scale)', async () => {
    const cur = (await server.request('GET', `${base}/namespaces/default/crontabs/hourly`)).json;
    const st = await server.request('PUT', `${base}/namespaces/default/crontabs/hourly/status`, { ...cur, spec: { cronSpec: 'ignored' }, status: { replicas: 2, labelSelector: 'tier=web' } });
    assert.equal(st.status, 200, st.text);
    assert.deepEqual(st.json.status, { replicas: 2, labelSelector: 'tier=web' });
    assert.equal(st.json.spec.cronSpec, '0 * * * *', '/status does not change the spec');
    assert.equal(st.json.metadata.generation, cur.metadata.generation, 'nor the generation');
    const main = await server.request('PUT', `${base}/namespaces/default/crontabs/hourly`, { ...st.json, status: { replicas: 99 } });
    assert.equal(main.status, 200, main.text);
    assert.deepEqual(main.json.status, { replicas: 2, labelSelector: 'tier=web' }, 'the main resource does not change the status');
    const noRV = await server.request('PUT', `${base}/namespaces/default/crontabs/hourly`, { ...main.json, metadata: { ...main.json.metadata, resourceVersion: undefined } });
    assert.equal(noRV.status, 422, 'custom resources refuse unconditional updates');

    const scale = (await server.request('GET', `${base}/namespaces/default/crontabs/hourly/scale`)).json;
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.apiVersion, 'autoscaling/v1');
    assert.deepEqual(scale.spec, { replicas: 2 });
    assert.deepEqual(scale.status, { replicas: 2, selector: 'tier=web' });
    assert.match(await ok(['scale', 'ct', 'hourly', '--replicas=5']), /crontab.stable.example.com\/hourly scaled/);
    assert.equal((await server.request('GET', `${base}/namespaces/default/crontabs/hourly`)).json.spec.replicas, 5);
  });

  it('watches over HTTP; bad bodies are refused', async () => {
    const w = await server.watch(`${base}/namespaces/default/crontabs?watch=1&fieldSelector=metadata.name%3Dweekly`);
    assert.equal(w.status, 200);
    await ok(['create', '-f', '-'], cronTab('weekly', { cronSpec: '0 0 * * 0' }));
    const ev = await w.next(10_000);
    assert.equal(ev.type, 'ADDED');
    assert.equal(ev.object.kind, 'CronTab');
    assert.equal(ev.object.metadata.name, 'weekly');
    await ok(['delete', 'ct', 'weekly']);
    assert.equal((await w.next(10_000)).type, 'DELETED');
    w.close();

    const wrongVersion = await server.request('POST', `${base}/namespaces/default/crontabs`, { apiVersion: 'stable.example.com/v2', kind: 'CronTab', metadata: { name: 'x' } });
    assert.equal(wrongVersion.status, 400);
    assert.equal(wrongVersion.json.message, 'the API version in the data (stable.example.com/v2) does not match the expected API version (stable.example.com/v1)');
    // Upstream's unstructured decoding takes the kind from the body; the strategy's validation refuses it.
    const wrongKind = await server.request('POST', `${base}/namespaces/default/crontabs`, { apiVersion: 'stable.example.com/v1', kind: 'Cron', metadata: { name: 'x' } });
    assert.equal(wrongKind.status, 422);
    assert.equal(wrongKind.json.message, 'Cron.stable.example.com "x" is invalid: kind: Invalid value: "Cron": must be CronTab');
    const badName = await server.request('POST', `${base}/namespaces/default/crontabs`, { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'Bad_Name' } });
    assert.equal(badName.status, 422);
    assert.equal(badName.json.details.causes[0].field, 'metadata.name');
    const badScale = await server.request('PATCH', `${base}/namespaces/default/crontabs/hourly`, { spec: { replicas: -1 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(badScale.status, 422);
    assert.match(badScale.json.message, /should be a non-negative integer/);
    const strict = await server.request('POST', `${base}/namespaces/default/crontabs?fieldValidation=Strict`, { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'strict' }, spec: { colour: 'red' } });
    assert.equal(strict.status, 400);
    assert.match(strict.json.message, /unknown field "spec.colour"/);
    assert.equal((await server.request('GET', '/apis/stable.example.com/v1/namespaces/default/nothings')).status, 404);
  });

  it('the schema validates (OpenAPI and CEL rules, 422 with field causes), defaults on write and on read, and prunes unknown fields', async () => {
    const gadgets = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.stable.example.com' },
      spec: {
        group: 'stable.example.com',
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    'x-kubernetes-validations': [{ rule: 'self.size <= 5 || self.color == "red"', message: 'big gadgets are red' }],
                    properties: {
                      size: { type: 'integer', minimum: 1, maximum: 10, default: 3 },
                      color: { type: 'string', enum: ['red', 'blue'], default: 'blue' },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    assert.equal((await server.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', gadgets)).status, 201);
    await establish('gadgets.stable.example.com', `${base}/gadgets`);
    const path = `${base}/namespaces/default/gadgets`;
    const gadget = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'stable.example.com/v1', kind: 'Gadget', metadata: { name }, spec });

    const defaulted = await server.request('POST', path, gadget('plain', { extra: true }));
    assert.equal(defaulted.status, 201, defaulted.text);
    assert.deepEqual(defaulted.json.spec, { size: 3, color: 'blue' }, 'defaults applied, unknown field pruned');
    assert.equal(defaulted.headers.warning, '299 - "unknown field \\"spec.extra\\""');

    const tooBig = await server.request('POST', path, gadget('huge', { size: 20, color: 'green' }));
    assert.equal(tooBig.status, 422);
    assert.equal(tooBig.json.reason, 'Invalid');
    const causes = tooBig.json.details.causes.map((c: { field: string; reason: string }) => `${c.field} ${c.reason}`).sort();
    // As upstream: after a blocking error (an unsupported value) the rules are not run, and one more cause says so.
    assert.deepEqual(causes, ['<nil> FieldValueInvalid', 'spec.color FieldValueNotSupported', 'spec.size FieldValueInvalid']);
    assert.match(tooBig.json.message, /spec\.size in body should be less than or equal to 10/);
    const rule = await server.request('POST', path, gadget('blue-big', { size: 8 }));
    assert.equal(rule.status, 422);
    assert.match(rule.json.message, /big gadgets are red/);
    assert.equal((await server.request('POST', path, gadget('red-big', { size: 8, color: 'red' }))).status, 201);

    // A default added to the schema later applies to stored objects when they are read.
    const crd = (await server.request('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.stable.example.com')).json;
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.shape = { type: 'string', default: 'round' };
    assert.equal((await server.request('PUT', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.stable.example.com', crd)).status, 200);
    await eventually(async () => (await server.request('GET', `${path}/plain`)).json.spec.shape === 'round', 'the new default on read');
  });

  it('@kubernetes/client-node CustomObjectsApi: create, get, list, patch, replace, delete', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    const api = kc.makeApiClient(k8s.CustomObjectsApi);
    const ref = { group: 'stable.example.com', version: 'v1', namespace: 'default', plural: 'crontabs' };
    const created = await api.createNamespacedCustomObject({ ...ref, body: { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'from-js' }, spec: { cronSpec: '1 * * * *' } } });
    assert.equal(created.metadata.uid.length, 36);
    const got = await api.getNamespacedCustomObject({ ...ref, name: 'from-js' });
    assert.equal(got.spec.cronSpec, '1 * * * *');
    const list = await api.listNamespacedCustomObject(ref);
    assert.ok(list.items.some((i: { metadata: { name: string } }) => i.metadata.name === 'from-js'));
    const patched = await api.patchNamespacedCustomObject({ ...ref, name: 'from-js', body: [{ op: 'add', path: '/spec/image', value: 'busybox' }] });
    assert.equal(patched.spec.image, 'busybox');
    patched.spec.cronSpec = '2 * * * *';
    const replaced = await api.replaceNamespacedCustomObject({ ...ref, name: 'from-js', body: patched });
    assert.equal(replaced.spec.cronSpec, '2 * * * *');
    await api.deleteNamespacedCustomObject({ ...ref, name: 'from-js' });
    await assert.rejects(api.getNamespacedCustomObject({ ...ref, name: 'from-js' }), (e: { code?: number }) => e.code === 404);
  });

  it('deleting the CRD deletes its objects first, then the CRD; its resources leave discovery', async () => {
    const before = (await server.request('GET', `${base}/crontabs`)).json.items.length;
    assert.ok(before >= 2, 'there are objects to clean up');
    await ok(['delete', 'crd', crdName, '--timeout=60s']);
    const gone = await server.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`);
    assert.equal(gone.status, 404);
    await eventually(async () => (await server.request('GET', `${base}/crontabs`)).status === 404, 'crontabs to be unserved');
    // A kubectl without the discovery cached before the delete.
    const get = await kubectlRunner(server.kubeconfig).run(['get', 'crontabs']);
    assert.notEqual(get.code, 0);
    assert.match(get.stderr, /the server doesn't have a resource type "crontabs"/);

    // Created again, the CRD starts empty: nothing of the old objects is left in storage.
    await ok(['create', '-f', '-'], crdYAML);
    await establish();
    assert.deepEqual((await server.request('GET', `${base}/crontabs`)).json.items, []);
  });
});
