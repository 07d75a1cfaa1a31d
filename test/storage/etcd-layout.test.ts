/**
 * The same etcd as kube-apiserver v1.32: a real etcd under a real server. Keys are upstream's (every served
 * resource is checked against the table below, taken from `pkg/kubeapiserver/default_storage_factory_builder.go`
 * SpecialDefaultResourcePrefixes and cohabitating resources, and k8s.io/apiserver's SimpleStorageFactory for the
 * apiextensions and aggregator groups and custom resources); values are protobuf with the `k8s\0` envelope for
 * built-in kinds and JSON for CRDs, APIServices and custom resources; values kube-apiserver wrote (k8s.io/api
 * v0.32.0 testdata/HEAD/*.pb, its golden encodings) are served; values in the other media type are still read.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { before, describe, it } from 'node:test';
import { addToScheme } from '../../generated/index.ts';
import { decodeEnvelope } from '../../runtime/machinery/protobuf.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { EtcdKV } from '../../runtime/storage/etcd/kv.ts';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { suiteTeardown } from '../support/teardown.ts';
import { hostAddress } from '../support/host-address.ts';

/**
 * Upstream v1.32's key prefix (below --etcd-prefix) of every resource it stores by default, by `group/resource`.
 * A resource kube-ts serves must be here, so a new kind cannot get a key kube-apiserver would not find.
 */
const upstreamPrefixes: Record<string, string> = {
  '/configmaps': 'configmaps',
  '/endpoints': 'services/endpoints',
  '/events': 'events',
  '/limitranges': 'limitranges',
  '/namespaces': 'namespaces',
  '/nodes': 'minions',
  '/persistentvolumeclaims': 'persistentvolumeclaims',
  '/persistentvolumes': 'persistentvolumes',
  '/pods': 'pods',
  '/podtemplates': 'podtemplates',
  '/replicationcontrollers': 'controllers',
  '/resourcequotas': 'resourcequotas',
  '/secrets': 'secrets',
  '/serviceaccounts': 'serviceaccounts',
  '/services': 'services/specs',
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': 'mutatingwebhookconfigurations',
  'admissionregistration.k8s.io/validatingwebhookconfigurations': 'validatingwebhookconfigurations',
  'admissionregistration.k8s.io/validatingadmissionpolicies': 'validatingadmissionpolicies',
  'admissionregistration.k8s.io/validatingadmissionpolicybindings': 'validatingadmissionpolicybindings',
  'apiextensions.k8s.io/customresourcedefinitions': 'apiextensions.k8s.io/customresourcedefinitions',
  'apiregistration.k8s.io/apiservices': 'apiregistration.k8s.io/apiservices',
  'apps/controllerrevisions': 'controllerrevisions',
  'apps/daemonsets': 'daemonsets',
  'apps/deployments': 'deployments',
  'apps/replicasets': 'replicasets',
  'apps/statefulsets': 'statefulsets',
  'autoscaling/horizontalpodautoscalers': 'horizontalpodautoscalers',
  'batch/cronjobs': 'cronjobs',
  'batch/jobs': 'jobs',
  'certificates.k8s.io/certificatesigningrequests': 'certificatesigningrequests',
  'coordination.k8s.io/leases': 'leases',
  'discovery.k8s.io/endpointslices': 'endpointslices',
  'events.k8s.io/events': 'events',
  'flowcontrol.apiserver.k8s.io/flowschemas': 'flowschemas',
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations': 'prioritylevelconfigurations',
  'networking.k8s.io/ingresses': 'ingress',
  'networking.k8s.io/ingressclasses': 'ingressclasses',
  'networking.k8s.io/networkpolicies': 'networkpolicies',
  'node.k8s.io/runtimeclasses': 'runtimeclasses',
  'policy/poddisruptionbudgets': 'poddisruptionbudgets',
  'rbac.authorization.k8s.io/clusterrolebindings': 'clusterrolebindings',
  'rbac.authorization.k8s.io/clusterroles': 'clusterroles',
  'rbac.authorization.k8s.io/rolebindings': 'rolebindings',
  'rbac.authorization.k8s.io/roles': 'roles',
  'scheduling.k8s.io/priorityclasses': 'priorityclasses',
  'storage.k8s.io/csidrivers': 'csidrivers',
  'storage.k8s.io/csinodes': 'csinodes',
  'storage.k8s.io/csistoragecapacities': 'csistoragecapacities',
  'storage.k8s.io/storageclasses': 'storageclasses',
  'storage.k8s.io/volumeattachments': 'volumeattachments',
};

/** Upstream stores these groups as JSON (the apiextensions and aggregator servers' legacy JSON codec). */
const jsonGroups = new Set(['apiextensions.k8s.io', 'apiregistration.k8s.io']);

const MAGIC = Buffer.from('k8s\0', 'binary');

/** k8s.io/api v0.32.0 testdata/HEAD/<name>: Go's encodings of a filled object. */
function golden(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/k8s-api-v0.32.0/${name}`, import.meta.url));
}

/** Leaf-by-leaf differences between two JSON values, as `path: got != want`. */
function diff(got: unknown, want: unknown, path = ''): string[] {
  if (JSON.stringify(got) === JSON.stringify(want)) return [];
  if (got && want && typeof got === 'object' && typeof want === 'object' && Array.isArray(got) === Array.isArray(want)) {
    const keys = new Set([...Object.keys(got), ...Object.keys(want)]);
    return [...keys].flatMap((k) => diff((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return [`${path}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`];
}

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' } } } } } } }],
  },
};

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown };

/** One realistic object of every kind that can be stored (test/fixtures/manifests). */
const manifestDir = new URL('../fixtures/manifests/', import.meta.url).pathname;
const manifests: Manifest[] = readdirSync(manifestDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((f) => parseAllDocuments(readFileSync(manifestDir + f, 'utf8')).map((d) => d.toJS() as Manifest));

/** The collection path of a manifest's kind, from the generated scheme (`namespace` for namespaced kinds). */
function collectionOf(m: Manifest, namespace: string): { path: string; namespaced: boolean } {
  const [group, version] = m.apiVersion.includes('/') ? m.apiVersion.split('/') : ['', m.apiVersion];
  const kind = decodeScheme().kindFor(group, version, m.kind);
  assert.ok(kind, `${m.apiVersion} ${m.kind} is not served`);
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const namespaced = kind.scope === 'Namespaced';
  return { path: namespaced ? `${base}/namespaces/${namespace}/${kind.resource}` : `${base}/${kind.resource}`, namespaced };
}

/** An Event's object must be in the Event's namespace (upstream's legacy Event validation). */
function eventAboutNamespace(m: Manifest, namespace: string): void {
  const ref = (m.kind === 'Event' && (m.involvedObject ?? m.regarding)) as { namespace?: string } | false;
  if (ref) ref.namespace = namespace;
}

/** Create every manifest (namespaced ones only, or all) in `namespace`; returns the ones created. */
async function createManifests(server: TestServer, namespace: string, all: boolean): Promise<Manifest[]> {
  assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: namespace } })).status, 201);
  const created: Manifest[] = [];
  for (const m of manifests) {
    const { path, namespaced } = collectionOf(m, namespace);
    if (!namespaced && !all) continue;
    eventAboutNamespace(m, namespace);
    const res = await server.request('POST', path, m);
    assert.equal(res.status, 201, `${m.kind} ${m.metadata.name}: ${res.text}`);
    created.push(m);
  }
  return created;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the same etcd as kube-apiserver', () => {
  let etcd: EtcdServer;
  let kv: EtcdKV;
  let server: TestServer;
  /** The store revision when the server storing JSON stopped: what it wrote and nobody rewrote is still JSON. */
  let jsonUntil = 0;
  /** The namespaced manifests the first server wrote, as JSON, in namespace via-json. */
  let viaJSON: Manifest[] = [];
  const raw = async (key: string) => (await kv.get(key)).kv?.value;
  const teardown = suiteTeardown();

  before(async () => {
    etcd = await startEtcd({ t: teardown });
    kv = await EtcdKV.open({ endpoints: [etcd.endpoint] });
    teardown.after(() => kv.close());
    // A first server stores JSON: what it wrote must still be read once the media type is protobuf.
    const jsonServer = await startServer({ args: ['--etcd-servers', etcd.endpoint, '--storage-media-type', 'application/json'], t: teardown });
    const res = await jsonServer.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'written-as-json' }, data: { a: 'b' } });
    assert.equal(res.status, 201, res.text);
    viaJSON = await createManifests(jsonServer, 'via-json', false);
    const revision = '{"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"raw-json"},"data":{"b": 1, "a": [1.50, "<"]},"revision":1}';
    const cr = await jsonServer.request('POST', '/apis/apps/v1/namespaces/default/controllerrevisions', revision);
    assert.equal(cr.status, 201, cr.text);
    await jsonServer.stop();
    jsonUntil = await kv.currentRevision();
    server = await startServer({ args: ['--etcd-servers', etcd.endpoint], t: teardown });
  });

  it('--storage-media-type accepts upstream values only, with upstream message', async () => {
    const { parseOptions } = await import('../../runtime/server/options.ts');
    assert.throws(() => parseOptions(['--storage-media-type', 'text/plain']), (e: Error) => e.message.includes('--storage-media-type "text/plain" invalid, allowed values: application/json, application/vnd.kubernetes.protobuf, application/yaml'));
    for (const t of ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', '']) assert.equal(parseOptions(['--storage-media-type', t]).storageMediaType, t);
    assert.equal(parseOptions(['--etcd-servers', 'http://127.0.0.1:2379']).storageMediaType, 'application/vnd.kubernetes.protobuf');
  });

  it('every served resource is kept under upstream key, in upstream media type', async () => {
    const ns = 'layout';
    const post = async (path: string, body: unknown) => {
      const res = await server.request('POST', path, body);
      assert.equal(res.status, 201, `${path}: ${res.text}`);
      return res.json;
    };
    await createManifests(server, ns, true); // an object of every kind that can be stored
    await post('/api/v1/nodes', { metadata: { name: 'node-1' } });
    await post(`/apis/events.k8s.io/v1/namespaces/${ns}/events`, {
      metadata: { name: 'e1' },
      eventTime: '2024-01-01T00:00:00.000000Z',
      reportingController: 'example.com/ctl',
      reportingInstance: 'ctl-1',
      action: 'Started',
      reason: 'Test',
      regarding: { kind: 'Node', name: 'node-1', namespace: ns }, // upstream refuses an event about another namespace
      note: 'hello',
      type: 'Normal',
    });
    await post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    await until('the CronTab CRD to be served', async () => ((await server.request('GET', `/apis/stable.example.com/v1/namespaces/${ns}/crontabs`)).status === 200 ? true : undefined));
    await post(`/apis/stable.example.com/v1/namespaces/${ns}/crontabs`, { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c1' }, spec: { cronSpec: '* * * * */5' } });

    const scheme = new Scheme();
    addToScheme(scheme);
    const missing: string[] = [];
    const wrong: string[] = [];
    let checked = 0;
    let writtenAsJSON = 0;
    for (const gv of scheme.allGroupVersions()) {
      if (gv.version !== gv.storageVersion) continue;
      for (const kind of gv.kinds) {
        // Served without storage: reviews (create only) and objects computed when asked (componentstatuses).
        if (!kind.verbs.includes('list') || (!kind.verbs.includes('update') && !kind.verbs.includes('delete'))) continue;
        const id = `${kind.group}/${kind.resource}`;
        const prefix = upstreamPrefixes[id];
        if (!prefix) {
          missing.push(id);
          continue;
        }
        const base = kind.group ? `/apis/${kind.group}/${kind.version}` : `/api/${kind.version}`;
        const list = await server.request('GET', `${base}/${kind.resource}`);
        assert.equal(list.status, 200, `${id}: ${list.text}`);
        for (const item of list.json.items) {
          const key = `/registry/${prefix}/${kind.scope === 'Namespaced' ? `${item.metadata.namespace}/` : ''}${item.metadata.name}`;
          const stored = (await kv.get(key)).kv;
          checked++;
          if (!stored) {
            wrong.push(`${id} ${item.metadata.name}: no key ${key}`);
            continue;
          }
          if (stored.modRevision <= jsonUntil) {
            writtenAsJSON++; // by the first server, and not rewritten since
            continue;
          }
          const value = stored.value;
          const isProtobuf = Buffer.from(value.subarray(0, 4)).equals(MAGIC);
          if (jsonGroups.has(kind.group) ? isProtobuf || value[0] !== 0x7b : !isProtobuf) wrong.push(`${id}: ${key} is not ${jsonGroups.has(kind.group) ? 'JSON' : 'protobuf'}`);
        }
      }
    }
    assert.deepEqual(missing, [], 'served resources without an upstream key in the table');
    assert.deepEqual(wrong, []);
    assert.ok(checked > 100, `only ${checked} objects checked`);
    assert.ok(checked - writtenAsJSON > 10, `only ${checked - writtenAsJSON} objects written as protobuf`);

    // The special names, one by one (each created above).
    for (const key of [`/registry/minions/node-1`, `/registry/services/specs/${ns}/web`, `/registry/services/endpoints/${ns}/external-db`, `/registry/ingress/${ns}/web`, '/registry/apiextensions.k8s.io/customresourcedefinitions/crontabs.stable.example.com', '/registry/apiregistration.k8s.io/apiservices/v1.apps']) {
      assert.ok(await raw(key), `${key} exists`);
    }
    // CRDs: JSON in apiextensions.k8s.io/v1beta1, the form upstream stores them in.
    const storedCRD = JSON.parse(Buffer.from((await raw('/registry/apiextensions.k8s.io/customresourcedefinitions/crontabs.stable.example.com'))!).toString());
    assert.deepEqual([storedCRD.apiVersion, storedCRD.spec.version, storedCRD.spec.validation?.openAPIV3Schema?.type, storedCRD.spec.versions], ['apiextensions.k8s.io/v1beta1', 'v1', 'object', [{ name: 'v1', served: true, storage: true }]]);
    // Custom resources: JSON under <group>/<plural>, in the storage version.
    const cr = await raw(`/registry/stable.example.com/crontabs/${ns}/c1`);
    assert.ok(cr, 'the custom resource key');
    const crObj = JSON.parse(Buffer.from(cr).toString());
    assert.deepEqual([crObj.apiVersion, crObj.kind, crObj.metadata.name, crObj.metadata.resourceVersion], ['stable.example.com/v1', 'CronTab', 'c1', undefined]);
    // events.k8s.io events are core/v1 Events under events: served by both groups, each in its own shape.
    const ev = await raw(`/registry/events/${ns}/e1`);
    assert.ok(ev, 'the events.k8s.io event is under events');
    const envelope = decodeEnvelope(ev);
    assert.deepEqual([envelope.apiVersion, envelope.kind], ['v1', 'Event']);
    const core = (await server.request('GET', `/api/v1/namespaces/${ns}/events/e1`)).json;
    assert.deepEqual([core.message, core.reportingComponent, core.involvedObject?.name, core.reason], ['hello', 'example.com/ctl', 'node-1', 'Test']);
    const v1 = (await server.request('GET', `/apis/events.k8s.io/v1/namespaces/${ns}/events/e1`)).json;
    assert.deepEqual([v1.apiVersion, v1.note, v1.reportingController, v1.regarding?.name], ['events.k8s.io/v1', 'hello', 'example.com/ctl', 'node-1']);
    const selected = await server.request('GET', `/apis/events.k8s.io/v1/namespaces/${ns}/events?fieldSelector=regarding.name%3Dnode-1`);
    assert.deepEqual(selected.json.items?.map((e: { metadata: { name: string } }) => e.metadata.name), ['e1'], selected.text);
    // This server's masterlease (the kubernetes Endpoints' reconciler): an Endpoints naming its address, as upstream's.
    const lease = decodeEnvelope((await raw(`/registry/masterleases/${hostAddress()}`))!);
    assert.deepEqual([lease.apiVersion, lease.kind], ['v1', 'Endpoints']);
    // Nothing else is kept under the prefix, but the allocators' RangeAllocations, at upstream's keys.
    const known = [...Object.values(upstreamPrefixes), 'stable.example.com/crontabs', 'fixture.example.com/widgets', 'masterleases'].map((p) => `/registry/${p}/`);
    const ranges = ['/registry/ranges/serviceips', '/registry/ranges/servicenodeports'];
    const strays = (await kv.range('/registry/')).kvs.map((k) => k.key).filter((k) => !known.some((p) => k.startsWith(p)) && !ranges.includes(k));
    assert.deepEqual(strays, []);
    // The RangeAllocations are protobuf too: core/v1 RangeAllocation {metadata = 1, range = 2, data = 3}, the
    // cluster IP range with the kubernetes Service's address (the range's first, offset 0) taken: the bitmap is a
    // big-endian number, so offset 0 is the lowest bit of its last byte.
    const serviceIPs = decodeEnvelope((await raw('/registry/ranges/serviceips'))!);
    assert.deepEqual([serviceIPs.apiVersion, serviceIPs.kind], ['v1', 'RangeAllocation']);
    const fields = new Map<number, Uint8Array>();
    for (let i = 0; i < serviceIPs.raw.length; ) {
      const field = serviceIPs.raw[i] >>> 3;
      const len = serviceIPs.raw[i + 1];
      fields.set(field, serviceIPs.raw.subarray(i + 2, i + 2 + len));
      i += 2 + len;
    }
    assert.equal(Buffer.from(fields.get(2)!).toString(), '10.0.0.0/24');
    const bitmap = fields.get(3)!;
    assert.ok(bitmap.length > 0 && (bitmap[bitmap.length - 1] & 1) !== 0, 'the kubernetes Service\'s address is taken');
    // The envelope names the storage version.
    const ingress = decodeEnvelope((await raw(`/registry/ingress/${ns}/web`))!);
    assert.deepEqual([ingress.apiVersion, ingress.kind], ['networking.k8s.io/v1', 'Ingress']);
  });

  it('a ConfigMap and a Deployment kube-apiserver wrote are served as upstream decodes them', async () => {
    // ConfigMap: every field comes back (resourceVersion is the revision, as upstream).
    const cmKey = '/registry/configmaps/namespaceValue/nameValue';
    await kv.create(cmKey, golden('core.v1.ConfigMap.pb'));
    const want = JSON.parse(golden('core.v1.ConfigMap.json').toString());
    const got = await server.request('GET', '/api/v1/namespaces/namespaceValue/configmaps/nameValue');
    assert.equal(got.status, 200, got.text);
    assert.deepEqual(diff({ ...got.json, metadata: { ...got.json.metadata, resourceVersion: 'resourceVersionValue' } }, want), []);
    const protobuf = await server.request('GET', '/api/v1/namespaces/namespaceValue/configmaps/nameValue', undefined, { Accept: 'application/vnd.kubernetes.protobuf' });
    assert.deepEqual(diff(JSON.parse(JSON.stringify(decodeScheme().protobuf.decodeObject(protobuf.bytes))).data, want.data), []);

    // Deployment: every field comes back, the deprecated in-tree volume sources included.
    await kv.create('/registry/deployments/namespaceValue/nameValue', golden('apps.v1.Deployment.pb'));
    const deployment = await server.request('GET', '/apis/apps/v1/namespaces/namespaceValue/deployments/nameValue');
    assert.equal(deployment.status, 200, deployment.text);
    const wantDeployment = JSON.parse(golden('apps.v1.Deployment.json').toString());
    wantDeployment.metadata.resourceVersion = deployment.json.metadata.resourceVersion;
    // The fixture holds two different service account names; kube-apiserver reads it into its internal PodSpec
    // (serviceAccountName wins) and writes v1's deprecated serviceAccount from it again, so both read the same.
    wantDeployment.spec.template.spec.serviceAccount = wantDeployment.spec.template.spec.serviceAccountName;
    assert.deepEqual(diff(deployment.json, wantDeployment), []);
  });

  it('a CRD and a custom resource kube-apiserver wrote are served', async () => {
    // As kube-apiserver v1.32 stores them: the CRD in v1beta1 (schema moved to spec.validation), the object as JSON.
    const crdJSON = {
      kind: 'CustomResourceDefinition',
      apiVersion: 'apiextensions.k8s.io/v1beta1',
      metadata: { name: 'gadgets.upstream.example.com', uid: '5b0c6a4e-1111-4a52-9a0e-0d4b1f6f2c11', generation: 1, creationTimestamp: '2024-05-01T10:00:00Z', finalizers: ['customresourcecleanup.apiextensions.k8s.io'] },
      spec: {
        group: 'upstream.example.com',
        version: 'v1',
        names: { plural: 'gadgets', singular: 'gadget', shortNames: ['gd'], kind: 'Gadget', listKind: 'GadgetList' },
        scope: 'Namespaced',
        validation: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
        subresources: { status: {} },
        versions: [{ name: 'v1', served: true, storage: true }],
        additionalPrinterColumns: [{ name: 'Size', type: 'integer', JSONPath: '.spec.size' }],
        conversion: { strategy: 'None' },
        preserveUnknownFields: false,
      },
      status: {
        conditions: [
          { type: 'NamesAccepted', status: 'True', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'NoConflicts', message: 'no conflicts found' },
          { type: 'Established', status: 'True', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
        ],
        acceptedNames: { plural: 'gadgets', singular: 'gadget', shortNames: ['gd'], kind: 'Gadget', listKind: 'GadgetList' },
        storedVersions: ['v1'],
      },
    };
    await kv.create('/registry/apiextensions.k8s.io/customresourcedefinitions/gadgets.upstream.example.com', Buffer.from(JSON.stringify(crdJSON) + '\n'));
    await kv.create('/registry/upstream.example.com/gadgets/default/g1', Buffer.from(JSON.stringify({ apiVersion: 'upstream.example.com/v1', kind: 'Gadget', metadata: { name: 'g1', namespace: 'default', uid: '6c1d7b5f-2222-4b63-8b1f-1e5c2a7a3d22', creationTimestamp: '2024-05-01T10:01:00Z' }, spec: { size: 3 } }) + '\n'));
    const served = await server.request('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.upstream.example.com');
    assert.equal(served.status, 200, served.text);
    assert.deepEqual(served.json.spec.versions, [{ name: 'v1', served: true, storage: true, schema: crdJSON.spec.validation, subresources: { status: {} }, additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }] }]);
    const g1 = await until('the Gadget to be served', async () => {
      const res = await server.request('GET', '/apis/upstream.example.com/v1/namespaces/default/gadgets/g1');
      return res.status === 200 ? res.json : undefined;
    });
    assert.deepEqual([g1.kind, g1.spec], ['Gadget', { size: 3 }]);
  });

  it('the media type changes nothing a client sees: every kind stored as JSON or protobuf reads back the same', async () => {
    assert.ok(viaJSON.length > 20, `${viaJSON.length} objects written as JSON`);
    // What differs between two objects created apart: identity, times, namespace, and what controllers add later;
    // managedFields: the order of the client's and the controllers' entries depends on who wrote first.
    const volatile = /^\.metadata\.(uid|creationTimestamp|resourceVersion|namespace|generation)$|^\.metadata\.managedFields\b|^\.status\b|^\.spec\.clusterIPs?\b|^\.(eventTime|firstTimestamp|lastTimestamp)$|\.namespace$/;
    // Generated per object: the Job's controller-uid labels, the service account token volume's name.
    const generated = /: "([0-9a-f-]{36}|kube-api-access-\w{5})" != "([0-9a-f-]{36}|kube-api-access-\w{5})"$/;
    // Known loss, until apis/ marks the fields Go holds as pointers (h/shapes' @pointer): an explicit zero of such a
    // field is read back from protobuf as unset.
    const pointerZeros = /^\.spec\.(updateStrategy\.rollingUpdate\.(partition|maxSurge)|suspend|priority)|^\.automountServiceAccountToken/;
    const differences: string[] = [];
    for (const m of viaJSON) {
      const json = await server.request('GET', `${collectionOf(m, 'via-json').path}/${m.metadata.name}`);
      const protobuf = await server.request('GET', `${collectionOf(m, 'layout').path}/${m.metadata.name}`);
      assert.deepEqual([json.status, protobuf.status], [200, 200], `${m.kind} ${m.metadata.name}`);
      const relevant = diff(protobuf.json, json.json).filter((d) => {
        const path = d.slice(0, d.indexOf(':'));
        if (volatile.test(path) || generated.test(d)) return false;
        return !(pointerZeros.test(path) && /: undefined != (0|false)$/.test(d));
      });
      differences.push(...relevant.map((d) => `${m.kind} ${m.metadata.name} ${d}`));
    }
    assert.deepEqual(differences, []);
  });

  it('a write answers with what its stored bytes read back as: a second server, which decodes them, serves the same text', async () => {
    // The first server makes a write's result from the object it encoded (ProtobufCodec.decodedForm), not from the
    // bytes; a server started after the writes fills its watch cache from the stored bytes alone.
    const ns = 'read-back';
    const created = await createManifests(server, ns, false);
    const answers = new Map<string, string>();
    for (const m of created) {
      const path = `${collectionOf(m, ns).path}/${m.metadata.name}`;
      const got = await server.request('GET', path);
      // An update too: through the watch cache's suggestion, a label added, times and all kept.
      const put = await server.request('PUT', path, { ...got.json, metadata: { ...got.json.metadata, labels: { ...got.json.metadata.labels, 'read-back': 'yes' } } });
      assert.equal(put.status, 200, `${m.kind} ${m.metadata.name}: ${put.text}`);
      answers.set(path, put.text);
    }
    const second = await startServer({ args: ['--etcd-servers', etcd.endpoint], t: teardown });
    try {
      const differences: string[] = [];
      let compared = 0;
      for (const [path, answer] of answers) {
        const served = await second.request('GET', path);
        // Controllers of either server may have written since (a status, an owner's finalizer): compare that state.
        const now = await server.request('GET', path);
        if (now.json.metadata.resourceVersion !== JSON.parse(answer).metadata.resourceVersion) continue;
        compared++;
        if (served.text !== answer) differences.push(`${path}: ${diff(served.json, JSON.parse(answer)).join('; ')}`);
      }
      assert.ok(compared > 20, `${compared} of ${answers.size} objects compared`);
      assert.deepEqual(differences, []);
    } finally {
      await second.stop();
    }
  });

  it('a RawExtension stored as JSON is the text in place, compacted as kube-apiserver writes it, and served as such', async () => {
    const compacted = '{"b":1,"a":[1.50,"\\u003c"]}';
    const stored = new TextDecoder().decode((await raw('/registry/controllerrevisions/default/raw-json'))!);
    assert.ok(stored.includes(`"data":${compacted},`), stored);
    const got = await server.request('GET', '/apis/apps/v1/namespaces/default/controllerrevisions/raw-json');
    assert.equal(got.status, 200, got.text);
    assert.ok(got.text.includes(`"data":${compacted}`), got.text);
  });

  it('what kube-ts writes decodes to the object it serves; values in JSON are still read and rewritten in protobuf', async () => {
    const created = await server.request('POST', '/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } } },
    });
    assert.equal(created.status, 201, created.text);
    const stored = (await raw('/registry/deployments/default/web'))!;
    assert.ok(Buffer.from(stored.subarray(0, 4)).equals(MAGIC));
    const decoded = decodeScheme().protobuf.decodeObject(stored);
    const served = (await server.request('GET', '/apis/apps/v1/namespaces/default/deployments/web')).json;
    // The raw message has no nulls: a zero time Go writes as null (a template's creationTimestamp) is unset there.
    const unsetAsNull = /: (undefined != null|null != undefined)$/;
    assert.deepEqual(diff({ ...decoded, metadata: { ...decoded.metadata, resourceVersion: served.metadata.resourceVersion } }, served).filter((d) => !unsetAsNull.test(d)), []);

    // Written as JSON by the first server: read, and rewritten in protobuf by the next write.
    const before = (await raw('/registry/configmaps/default/written-as-json'))!;
    assert.equal(before[0], 0x7b, 'stored as JSON');
    const cm = await server.request('GET', '/api/v1/namespaces/default/configmaps/written-as-json');
    assert.deepEqual([cm.status, cm.json.data], [200, { a: 'b' }]);
    const updated = await server.request('PUT', '/api/v1/namespaces/default/configmaps/written-as-json', { ...cm.json, data: { a: 'c' } });
    assert.equal(updated.status, 200, updated.text);
    assert.ok(Buffer.from((await raw('/registry/configmaps/default/written-as-json'))!.subarray(0, 4)).equals(MAGIC), 'rewritten as protobuf');
  });
});

let scheme: Scheme | undefined;
function decodeScheme(): Scheme {
  if (!scheme) {
    scheme = new Scheme();
    addToScheme(scheme);
  }
  return scheme;
}
