/**
 * The storage.k8s.io/v1 kinds kubelet, the attach/detach controller and CSI sidecars write (CSIDriver, CSINode,
 * CSIStorageCapacity, VolumeAttachment), driven over HTTP and with kubectl against a real server: defaults,
 * `kubectl get` columns, immutable fields refused with upstream's messages, and the status subresource.
 * Expected values: k8s.io/api v0.32.0 storage/v1/types.go, pkg/apis/storage/v1/defaults.go,
 * pkg/apis/storage/validation and pkg/registry/storage/* of kubernetes v1.32, pkg/printers/internalversion.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const base = '/apis/storage.k8s.io/v1';

describe('storage.k8s.io/v1 CSI kinds', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;

  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
  });

  it('are listed by kubectl api-resources as upstream lists them', async () => {
    const res = await kubectl.run(['api-resources', '--api-group=storage.k8s.io', '-o', 'wide']);
    assert.equal(res.code, 0, res.stderr);
    const rows = res.stdout.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
    const verbs = 'create,delete,deletecollection,get,list,patch,update,watch';
    assert.deepEqual(
      rows.map((r) => r.join(' ')),
      [
        `csidrivers storage.k8s.io/v1 false CSIDriver ${verbs}`,
        `csinodes storage.k8s.io/v1 false CSINode ${verbs}`,
        `csistoragecapacities storage.k8s.io/v1 true CSIStorageCapacity ${verbs}`,
        `storageclasses sc storage.k8s.io/v1 false StorageClass ${verbs}`,
        `volumeattachments storage.k8s.io/v1 false VolumeAttachment ${verbs}`,
      ],
    );
  });

  it('CSIDriver: created with upstream defaults, printed with its columns, attachRequired immutable', async () => {
    const created = await server.request('POST', `${base}/csidrivers`, { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', metadata: { name: 'hostpath.csi.k8s.io' }, spec: { tokenRequests: [{ audience: 'vault' }, { audience: 'gcp' }] } });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.json.spec, {
      attachRequired: true,
      podInfoOnMount: false,
      volumeLifecycleModes: ['Persistent'],
      storageCapacity: false,
      fsGroupPolicy: 'ReadWriteOnceWithFSType',
      tokenRequests: [{ audience: 'vault' }, { audience: 'gcp' }],
      requiresRepublish: false,
      seLinuxMount: false,
    });
    assert.equal(created.json.metadata.generation, undefined, 'upstream sets no generation on create');

    const table = await kubectl.run(['get', 'csidrivers']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^NAME\s+ATTACHREQUIRED\s+PODINFOONMOUNT\s+STORAGECAPACITY\s+TOKENREQUESTS\s+REQUIRESREPUBLISH\s+MODES\s+AGE\nhostpath\.csi\.k8s\.io\s+true\s+false\s+false\s+vault,gcp\s+false\s+Persistent\s+\d+s\n$/);

    const patched = await kubectl.run(['patch', 'csidriver', 'hostpath.csi.k8s.io', '--type=merge', '-p', '{"spec":{"attachRequired":false}}']);
    assert.notEqual(patched.code, 0);
    assert.equal(patched.stderr.trim(), 'The CSIDriver "hostpath.csi.k8s.io" is invalid: spec.attachedRequired: Invalid value: false: field is immutable');

    const mutable = await server.request('PATCH', `${base}/csidrivers/hostpath.csi.k8s.io`, { spec: { podInfoOnMount: true } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(mutable.status, 200, mutable.text);
    assert.equal(mutable.json.spec.podInfoOnMount, true);
    assert.equal(mutable.json.metadata.generation, 1, 'a change of spec counts from no generation to 1');
  });

  it('CSIDriver: a bad fsGroupPolicy and a short token lifetime are refused with upstream causes', async () => {
    const res = await server.request('POST', `${base}/csidrivers`, { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', metadata: { name: 'bad.csi.k8s.io' }, spec: { fsGroupPolicy: 'Sometimes', tokenRequests: [{ audience: 'a', expirationSeconds: 60 }], volumeLifecycleModes: ['Forever'] } });
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(
      res.json.details.causes.map((c: { field: string; reason: string }) => `${c.reason} ${c.field}`),
      ['FieldValueNotSupported spec.fsGroupPolicy', 'FieldValueInvalid spec.tokenRequests[0].expirationSeconds', 'FieldValueNotSupported spec.volumeLifecycleModes'],
    );
    assert.match(res.json.message, /spec\.fsGroupPolicy: Unsupported value: "Sometimes": supported values: "File", "None", "ReadWriteOnceWithFSType"/);
    assert.match(res.json.message, /spec\.tokenRequests\[0\]\.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes/);
  });

  it('CSINode: drivers counted in kubectl get, a registered driver entry immutable', async () => {
    const node = { apiVersion: 'storage.k8s.io/v1', kind: 'CSINode', metadata: { name: 'node-1' }, spec: { drivers: [{ name: 'hostpath.csi.k8s.io', nodeID: 'node-1', topologyKeys: ['topology.hostpath.csi/node'], allocatable: { count: 10 } }] } };
    const created = await server.request('POST', `${base}/csinodes`, node);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.metadata.generation, undefined);
    const table = await kubectl.run(['get', 'csinodes']);
    assert.match(table.stdout, /^NAME\s+DRIVERS\s+AGE\nnode-1\s+1\s+\d+s\n$/);

    const changed = structuredClone(created.json);
    changed.spec.drivers[0].nodeID = 'node-one';
    const res = await server.request('PUT', `${base}/csinodes/node-1`, changed);
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(res.json.details.causes.map((c: { field: string; reason: string }) => `${c.reason} ${c.field}`), ['FieldValueInvalid CSINodeDriver']);
    // Upstream reports a changed driver entry at the bare path CSINodeDriver, printing the internal struct.
    assert.match(res.json.message, /CSINodeDriver: Invalid value: storage\.CSINodeDriver\{Name:"hostpath\.csi\.k8s\.io", NodeID:"node-one", .*\}: field is immutable/);

    const added = structuredClone(created.json);
    added.spec.drivers.push({ name: 'other.csi.k8s.io', nodeID: 'n1' });
    const ok = await server.request('PUT', `${base}/csinodes/node-1`, added);
    assert.equal(ok.status, 200, ok.text);

    const noRV = structuredClone(ok.json);
    delete noRV.metadata.resourceVersion;
    const unconditional = await server.request('PUT', `${base}/csinodes/node-1`, noRV);
    assert.equal(unconditional.status, 422, 'CSINode updates need a resourceVersion (AllowUnconditionalUpdate false)');
  });

  it('CSINode: a node ID longer than 256 characters and duplicate drivers are refused', async () => {
    const res = await server.request('POST', `${base}/csinodes`, { apiVersion: 'storage.k8s.io/v1', kind: 'CSINode', metadata: { name: 'node-2' }, spec: { drivers: [{ name: 'd.csi', nodeID: 'x'.repeat(257) }, { name: 'd.csi', nodeID: 'y' }] } });
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(res.json.details.causes.map((c: { field: string; reason: string }) => `${c.reason} ${c.field}`), ['FieldValueInvalid spec.drivers[0].nodeID', 'FieldValueDuplicate spec.drivers[1].name']);
    assert.match(res.json.message, /must be 256 characters or less/);
  });

  it('CSIStorageCapacity: namespaced, printed without an Age column, class and topology immutable', async () => {
    const cap = { apiVersion: 'storage.k8s.io/v1', kind: 'CSIStorageCapacity', metadata: { name: 'cap-1', namespace: 'default' }, storageClassName: 'fast', nodeTopology: { matchLabels: { 'topology.kubernetes.io/zone': 'a' } }, capacity: '1Gi' };
    const created = await server.request('POST', `${base}/namespaces/default/csistoragecapacities`, cap);
    assert.equal(created.status, 201, created.text);
    const table = await kubectl.run(['get', 'csistoragecapacities', '-n', 'default']);
    assert.equal(table.stdout, 'NAME    STORAGECLASSNAME   CAPACITY\ncap-1   fast               1Gi\n');

    const changed = { ...created.json, storageClassName: 'slow', nodeTopology: { matchLabels: { 'topology.kubernetes.io/zone': 'b' } } };
    const res = await server.request('PUT', `${base}/namespaces/default/csistoragecapacities/cap-1`, changed);
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(res.json.details.causes.map((c: { field: string; reason: string }) => `${c.reason} ${c.field}`), ['FieldValueInvalid nodeTopology', 'FieldValueInvalid storageClassName']);
    assert.match(res.json.message, /storageClassName: Invalid value: "slow": field is immutable/);

    const capacityOnly = await server.request('PUT', `${base}/namespaces/default/csistoragecapacities/cap-1`, { ...created.json, capacity: '2Gi' });
    assert.equal(capacityOnly.status, 200, capacityOnly.text);
    const unset = await server.request('POST', `${base}/namespaces/default/csistoragecapacities`, { ...cap, metadata: { name: 'cap-2', namespace: 'default' }, capacity: undefined });
    assert.equal(unset.status, 201, unset.text);
    const again = await kubectl.run(['get', 'csistoragecapacities', '-n', 'default', 'cap-2', '--no-headers']);
    assert.equal(again.stdout, 'cap-2   fast   <unset>\n');
  });

  it('VolumeAttachment: status reset on create, written through /status only, spec immutable', async () => {
    const va = { apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: 'csi-123' }, spec: { attacher: 'hostpath.csi.k8s.io', nodeName: 'node-1', source: { persistentVolumeName: 'pv-1' } }, status: { attached: true } };
    const created = await server.request('POST', `${base}/volumeattachments`, va);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.status?.attached ?? false, false, 'a client cannot create an attached attachment');
    assert.equal(created.json.metadata.generation, undefined);

    const table = await kubectl.run(['get', 'volumeattachments']);
    assert.match(table.stdout, /^NAME\s+ATTACHER\s+PV\s+NODE\s+ATTACHED\s+AGE\ncsi-123\s+hostpath\.csi\.k8s\.io\s+pv-1\s+node-1\s+false\s+\d+s\n$/);

    const status = await server.request('PATCH', `${base}/volumeattachments/csi-123/status`, { status: { attached: true, attachmentMetadata: { devicePath: '/dev/sdb' } }, spec: { nodeName: 'elsewhere' } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(status.status, 200, status.text);
    assert.deepEqual(status.json.status, { attached: true, attachmentMetadata: { devicePath: '/dev/sdb' } });
    assert.equal(status.json.spec.nodeName, 'node-1', '/status keeps the spec');
    const attached = await kubectl.run(['get', 'volumeattachment', 'csi-123', '--no-headers']);
    assert.match(attached.stdout, /^csi-123\s+hostpath\.csi\.k8s\.io\s+pv-1\s+node-1\s+true\s+\d+s\n$/);

    const moved = await kubectl.run(['patch', 'volumeattachment', 'csi-123', '--type=merge', '-p', '{"spec":{"nodeName":"node-2"}}']);
    assert.notEqual(moved.code, 0);
    assert.match(moved.stderr, /^The VolumeAttachment "csi-123" is invalid: spec: Invalid value: .*: field is immutable\n$/);

    const detachError = await server.request('PATCH', `${base}/volumeattachments/csi-123/status`, { status: { attached: null, detachError: { message: 'timed out' } } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(detachError.status, 200, `a status without attached reads as attached: false, as Go decodes it: ${detachError.text}`);
    assert.equal(detachError.json.status.attached, false);
    const reattached = await server.request('PATCH', `${base}/volumeattachments/csi-123/status`, { status: { attached: true, detachError: null } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(reattached.status, 200, reattached.text);

    const mainStatus = await server.request('PATCH', `${base}/volumeattachments/csi-123`, { status: { attached: false } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(mainStatus.status, 200, mainStatus.text);
    assert.equal(mainStatus.json.status.attached, true, 'writes of the resource keep the status');
  });

  it('VolumeAttachment: a source needs exactly one volume, and the attacher must be a CSI driver name', async () => {
    const both = await server.request('POST', `${base}/volumeattachments`, { apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: 'va-bad' }, spec: { attacher: 'Bad_Attacher', nodeName: 'node-1', source: {} } });
    assert.equal(both.status, 422, both.text);
    assert.deepEqual(both.json.details.causes.map((c: { field: string; reason: string }) => `${c.reason} ${c.field}`), ['FieldValueRequired spec.source', 'FieldValueInvalid spec.attacher']);
    assert.match(both.json.message, /spec\.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName/);

    const inline = await server.request('POST', `${base}/volumeattachments`, { apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: 'va-inline' }, spec: { attacher: 'pd.csi.storage.gke.io', nodeName: 'node-1', source: { inlineVolumeSpec: { accessModes: ['ReadWriteOnce'], csi: { driver: 'pd.csi.storage.gke.io', volumeHandle: 'vol-1' } } } } });
    assert.equal(inline.status, 201, inline.text);
    const noCSI = await server.request('POST', `${base}/volumeattachments`, { apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: 'va-nocsi' }, spec: { attacher: 'pd.csi.storage.gke.io', nodeName: 'node-1', source: { inlineVolumeSpec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/x' } } } } });
    assert.equal(noCSI.status, 422, noCSI.text);
    assert.deepEqual(noCSI.json.details.causes.map((c: { field: string; reason: string }) => `${c.reason} ${c.field}`), ['FieldValueForbidden spec.source.inlineVolumeSpec.capacity', 'FieldValueRequired spec.source.inlineVolumeSpec.csi']);
  });

  it('VolumeAttachment: attachment metadata is limited to 256 KiB of UTF-8, as Go counts it, not of UTF-16 units', async () => {
    const va = { apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: 'va-metadata' }, spec: { attacher: 'a.csi.io', nodeName: 'node-1', source: { persistentVolumeName: 'pv-1' } } };
    assert.equal((await server.request('POST', `${base}/volumeattachments`, va)).status, 201);
    const write = (value: string) => server.request('PATCH', `${base}/volumeattachments/va-metadata/status`, { status: { attached: true, attachmentMetadata: { k: value } } }, { 'content-type': 'application/merge-patch+json' });
    // 131,072 two-byte letters are 262,144 bytes: with the key's byte, one over upstream's limit (validateAttachmentMetadata).
    const over = await write('é'.repeat(131072));
    assert.equal(over.status, 422, over.text);
    assert.equal(over.json.message, 'VolumeAttachment.storage.k8s.io "va-metadata" is invalid: status.attachmentMetadata: Too long: may not be more than 262144 bytes');
    assert.deepEqual(over.json.details.causes, [
      { reason: 'FieldValueTooLong', message: 'Too long: may not be more than 262144 bytes', field: 'status.attachmentMetadata' },
      { reason: 'FieldValueTooLong', message: 'Too long: may not be more than 262144 bytes', field: 'status.attachmentMetadata' },
    ]);
    const within = await write('é'.repeat(131071));
    assert.equal(within.status, 200, within.text.slice(0, 500));
  });
});
