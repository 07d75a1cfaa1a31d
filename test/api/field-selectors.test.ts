/**
 * Field selectors of every kind that has them, as kube-apiserver v1.32 serves them: the labels each kind accepts
 * (upstream's field label conversion functions, pkg/apis/<group>/<version>/conversion.go), their values (each
 * strategy's GetAttrs: Go's zero value for unset fields, Pod status.podIP from podIPs[0]), on list and watch, and
 * the 400 for a label a kind does not accept, with the message of its conversion function or apimachinery's
 * default one (runtime.DefaultMetaV1FieldSelectorConversion).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

const sel = (s: string) => `fieldSelector=${encodeURIComponent(s)}`;

describe('field selectors', () => {
  let server: TestServer;
  const names = async (path: string, selector: string): Promise<string[]> => {
    const res = await server.request('GET', `${path}${path.includes('?') ? '&' : '?'}${sel(selector)}`);
    assert.equal(res.status, 200, res.text);
    return res.json.items.map((o: { metadata: { name: string } }) => o.metadata.name).sort();
  };
  const refused = async (path: string, selector: string): Promise<string> => {
    const res = await server.request('GET', `${path}?${sel(selector)}`);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.reason, 'BadRequest');
    const watch = await server.request('GET', `${path}?watch=1&timeoutSeconds=1&${sel(selector)}`);
    assert.equal(watch.status, 400, 'a watch is refused the same way');
    return res.json.message;
  };
  const create = async (path: string, obj: unknown) => {
    const res = await server.request('POST', path, obj);
    assert.equal(res.status, 201, res.text);
    return res.json;
  };

  before(async () => {
    server = await startServer();
    await create('/api/v1/namespaces', { metadata: { name: 'fs' } });
  });
  after(async () => {
    await server?.stop();
  });

  it('Pod: node, restart policy, scheduler, service account, host network, phase, IP, nominated node', async () => {
    const pod = (name: string, spec: object) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });
    await create('/api/v1/namespaces/fs/pods', pod('p1', { nodeName: 'n1', restartPolicy: 'Never', hostNetwork: true }));
    await create('/api/v1/namespaces/fs/pods', pod('p2', { schedulerName: 'other', serviceAccountName: 'default' }));
    const withIP = await server.request('PATCH', '/api/v1/namespaces/fs/pods/p1/status', { status: { phase: 'Running', podIP: '10.0.0.9', podIPs: [{ ip: '10.0.0.9' }], nominatedNodeName: 'n9' } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(withIP.status, 200, withIP.text);
    const pods = '/api/v1/namespaces/fs/pods';
    assert.deepEqual(await names(pods, 'spec.nodeName=n1'), ['p1']);
    assert.deepEqual(await names(pods, 'spec.host=n1'), ['p1'], 'spec.host is the old name of spec.nodeName');
    assert.deepEqual(await names(pods, 'spec.nodeName='), ['p2']);
    assert.deepEqual(await names(pods, 'spec.restartPolicy=Always'), ['p2']);
    assert.deepEqual(await names(pods, 'spec.schedulerName=other'), ['p2']);
    assert.deepEqual(await names(pods, 'spec.serviceAccountName=default'), ['p1', 'p2']);
    assert.deepEqual(await names(pods, 'spec.hostNetwork=false'), ['p2'], 'an unset boolean reads as false');
    assert.deepEqual(await names(pods, 'status.phase=Running'), ['p1']);
    assert.deepEqual(await names(pods, 'status.podIP=10.0.0.9'), ['p1']);
    assert.deepEqual(await names(pods, 'status.podIPs=10.0.0.9'), [], 'status.podIPs is accepted but has no value');
    assert.deepEqual(await names(pods, 'status.nominatedNodeName=n9'), ['p1']);
    assert.deepEqual(await names('/api/v1/pods', 'metadata.namespace=fs,spec.nodeName!=n1'), ['p2']);
    assert.equal(await refused(pods, 'spec.containers=x'), 'field label not supported: spec.containers');
  });

  it('Pod: a watch on spec.nodeName sees the pod scheduled to the node (what kubelets do)', async () => {
    const list = await server.request('GET', `/api/v1/pods?${sel('spec.nodeName=n2')}`);
    const w = await server.watch(`/api/v1/pods?watch=1&${sel('spec.nodeName=n2')}&resourceVersion=${list.json.metadata.resourceVersion}`);
    try {
      await create('/api/v1/namespaces/fs/pods', { metadata: { name: 'elsewhere' }, spec: { nodeName: 'n3', containers: [{ name: 'c', image: 'nginx' }] } });
      await create('/api/v1/namespaces/fs/pods', { metadata: { name: 'here' }, spec: { nodeName: 'n2', containers: [{ name: 'c', image: 'nginx' }] } });
      const ev = await w.next();
      assert.equal(ev.type, 'ADDED');
      assert.equal(ev.object.metadata.name, 'here');
    } finally {
      w.close();
    }
  });

  it('Node: spec.unschedulable (false when unset), metadata.name, and no metadata.namespace', async () => {
    await create('/api/v1/nodes', { metadata: { name: 'fs-n1' } });
    await create('/api/v1/nodes', { metadata: { name: 'fs-n2' }, spec: { unschedulable: true } });
    assert.deepEqual(await names('/api/v1/nodes', 'spec.unschedulable=false'), ['fs-n1']);
    assert.deepEqual(await names('/api/v1/nodes', 'spec.unschedulable=true'), ['fs-n2']);
    assert.equal(await refused('/api/v1/nodes', 'metadata.namespace=x'), 'field label not supported: metadata.namespace');

    const list = await server.request('GET', `/api/v1/nodes?${sel('spec.unschedulable=true')}`);
    const w = await server.watch(`/api/v1/nodes?watch=1&${sel('spec.unschedulable=true')}&resourceVersion=${list.json.metadata.resourceVersion}`);
    try {
      const cordon = await server.request('PATCH', '/api/v1/nodes/fs-n1', { spec: { unschedulable: true } }, { 'content-type': 'application/merge-patch+json' });
      assert.equal(cordon.status, 200, cordon.text);
      const ev = await w.next();
      assert.equal(ev.type, 'ADDED', 'a node that starts matching arrives as ADDED');
      assert.equal(ev.object.metadata.name, 'fs-n1');
    } finally {
      w.close();
    }
  });

  it('Namespace: status.phase', async () => {
    assert.ok((await names('/api/v1/namespaces', 'status.phase=Active')).includes('fs'));
    assert.deepEqual(await names('/api/v1/namespaces', 'status.phase=Terminating'), []);
    assert.equal(await refused('/api/v1/namespaces', 'spec.finalizers=x'), 'field label not supported: spec.finalizers');
  });

  it('Secret: type; Service: spec.clusterIP and spec.type', async () => {
    await create('/api/v1/namespaces/fs/secrets', { metadata: { name: 's1' }, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } });
    await create('/api/v1/namespaces/fs/secrets', { metadata: { name: 's2' }, stringData: { a: 'b' } });
    assert.deepEqual(await names('/api/v1/namespaces/fs/secrets', 'type=Opaque'), ['s2']);
    await create('/api/v1/namespaces/fs/services', { metadata: { name: 'headless' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } });
    await create('/api/v1/namespaces/fs/services', { metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    assert.deepEqual(await names('/api/v1/namespaces/fs/services', 'spec.clusterIP!=None'), ['np']);
    assert.deepEqual(await names('/api/v1/namespaces/fs/services', 'spec.type=NodePort'), ['np']);
    assert.equal(await refused('/api/v1/namespaces/fs/services', 'spec.ports=x'), 'field label not supported: spec.ports');
  });

  it('Event (core and events.k8s.io): involved object, reason, source, type, with each version\'s labels', async () => {
    await create('/api/v1/namespaces/fs/events', { metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'p1', namespace: 'fs' }, reason: 'Pulled', type: 'Normal', source: { component: 'kubelet' } });
    await create('/apis/events.k8s.io/v1/namespaces/fs/events', { metadata: { name: 'e2' }, eventTime: '2026-01-01T00:00:00.000000Z', regarding: { kind: 'Node', name: 'n1', namespace: 'fs' }, reason: 'Rebooted', action: 'Reboot', type: 'Warning', reportingController: 'kubelet', reportingInstance: 'n1' });
    const core = '/api/v1/namespaces/fs/events';
    assert.deepEqual(await names(core, 'involvedObject.kind=Pod,involvedObject.name=p1'), ['e1']);
    assert.deepEqual(await names(core, 'source=kubelet,reason=Pulled,type=Normal'), ['e1']);
    const v1 = '/apis/events.k8s.io/v1/namespaces/fs/events';
    assert.deepEqual(await names(v1, 'regarding.kind=Node,reportingController=kubelet'), ['e2']);
    assert.deepEqual(await names(v1, 'source=kubelet,type=Warning'), ['e2']);
    assert.equal(await refused(v1, 'involvedObject.kind=Node'), 'field label not supported: involvedObject.kind');
    assert.equal(await refused(core, 'regarding.kind=Node'), 'field label not supported: regarding.kind');
  });

  it('Job: status.successful (0 when unset), with batch/v1\'s own message', async () => {
    await create('/apis/batch/v1/namespaces/fs/jobs', { metadata: { name: 'j1' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } });
    assert.deepEqual(await names('/apis/batch/v1/namespaces/fs/jobs', 'status.successful=0'), ['j1']);
    assert.equal(await refused('/apis/batch/v1/namespaces/fs/jobs', 'status.succeeded=0'), 'field label "status.succeeded" not supported for Job');
  });

  it('kinds without a conversion of their own take metadata.name and metadata.namespace only, whatever their scope', async () => {
    assert.equal(await refused('/apis/apps/v1/namespaces/fs/replicasets', 'status.replicas=0'), '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"');
    assert.equal(await refused('/api/v1/namespaces/fs/configmaps', 'data.a=b'), '"data.a" is not a known field selector: only "metadata.name", "metadata.namespace"');
    assert.ok((await names('/api/v1/namespaces/fs/configmaps', 'metadata.name=kube-root-ca.crt')).length <= 1);
    // A cluster-scoped kind accepts metadata.namespace, which it does not have: only the empty value matches.
    await create('/apis/storage.k8s.io/v1/storageclasses', { metadata: { name: 'fs-sc' }, provisioner: 'example.com/p' });
    assert.deepEqual(await names('/apis/storage.k8s.io/v1/storageclasses', 'metadata.namespace=,metadata.name=fs-sc'), ['fs-sc']);
    assert.deepEqual(await names('/apis/storage.k8s.io/v1/storageclasses', 'metadata.namespace=fs'), []);
  });

  it('every kind with selectable fields: a watch on one sends only the objects it selects', async () => {
    const pod = (name: string, spec: object) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });
    const job = (name: string) => ({ metadata: { name }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } });
    // [collection, selector, an object it does not select, one it selects]
    const cases: Array<[string, string, object, object]> = [
      ['/api/v1/namespaces/fs/pods', 'spec.schedulerName=watched', pod('w-miss', {}), pod('w-hit', { schedulerName: 'watched' })],
      ['/api/v1/namespaces/fs/secrets', 'type=example.com/watched', { metadata: { name: 'w-miss' } }, { metadata: { name: 'w-hit' }, type: 'example.com/watched' }],
      ['/api/v1/namespaces/fs/services', 'spec.type=ExternalName', { metadata: { name: 'w-miss' }, spec: { ports: [{ port: 80 }] } }, { metadata: { name: 'w-hit' }, spec: { type: 'ExternalName', externalName: 'example.com' } }],
      ['/api/v1/namespaces/fs/events', 'involvedObject.name=watched', { metadata: { name: 'w-miss' }, involvedObject: { kind: 'Pod', name: 'other', namespace: 'fs' } }, { metadata: { name: 'w-hit' }, involvedObject: { kind: 'Pod', name: 'watched', namespace: 'fs' } }],
      // events.k8s.io Events live in the core Events' key space (upstream's cohabitation): names of their own.
      ['/apis/events.k8s.io/v1/namespaces/fs/events', 'regarding.name=watched', { metadata: { name: 'w2-miss' }, eventTime: '2026-01-01T00:00:00.000000Z', regarding: { name: 'other', namespace: 'fs' }, reportingController: 'x', reportingInstance: 'y', action: 'A', reason: 'R', type: 'Normal' }, { metadata: { name: 'w2-hit' }, eventTime: '2026-01-01T00:00:00.000000Z', regarding: { name: 'watched', namespace: 'fs' }, reportingController: 'x', reportingInstance: 'y', action: 'A', reason: 'R', type: 'Normal' }],
      ['/apis/batch/v1/namespaces/fs/jobs', 'metadata.name=w-hit,status.successful=0', job('w-miss'), job('w-hit')],
      ['/api/v1/namespaces', 'status.phase=Active,metadata.name=fs-watched', { metadata: { name: 'fs-other' } }, { metadata: { name: 'fs-watched' } }],
    ];
    for (const [path, selector, miss, hit] of cases) {
      const list = await server.request('GET', `${path}?${sel(selector)}`);
      assert.equal(list.status, 200, `${path}: ${list.text}`);
      const w = await server.watch(`${path}?watch=1&${sel(selector)}&resourceVersion=${list.json.metadata.resourceVersion}`);
      try {
        await create(path, miss);
        await create(path, hit);
        const ev = await w.next();
        assert.deepEqual([ev.type, ev.object.metadata.name], ['ADDED', (hit as { metadata: { name: string } }).metadata.name], `${path} ${selector}`);
      } finally {
        w.close();
      }
    }
  });

  it('CertificateSigningRequest: spec.signerName, and no metadata.namespace', async () => {
    assert.deepEqual(await names('/apis/certificates.k8s.io/v1/certificatesigningrequests', 'spec.signerName=example.com/none'), []);
    assert.equal(await refused('/apis/certificates.k8s.io/v1/certificatesigningrequests', 'metadata.namespace=x'), 'field label not supported: metadata.namespace');
  });
});
