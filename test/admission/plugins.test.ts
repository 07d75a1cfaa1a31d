/**
 * The built-in admission plug-ins and controllers as a user sees them: the real server, the real kubectl. With the
 * defaults a Pod comes back as upstream's does (service account, token volume, tolerations, priority), LimitRanges
 * default and bound resources, PVCs and PVs carry their protection finalizers, and every namespace gets a
 * `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap, also after they are deleted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const tokenPath = '/var/run/secrets/kubernetes.io/serviceaccount';

function runner(server: TestServer) {
  const kubectl = kubectlRunner(server.kubeconfig);
  const ok = async (args: string[], input?: string) => {
    const r = await kubectl.run(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
    return r.stdout;
  };
  const fails = async (args: string[], input?: string) => {
    const r = await kubectl.run(args, input);
    assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} should have failed:\n${r.stdout}`);
    return r.stderr;
  };
  const json = async (args: string[]) => JSON.parse(await ok([...args, '-o', 'json']));
  return { ok, fails, json, run: (args: string[]) => kubectl.run(args) };
}

describe('admission plug-ins on by default', () => {
  let server: TestServer;
  let k: ReturnType<typeof runner>;
  before(async () => {
    server = await startServer();
    k = runner(server);
  });
  after(async () => server?.stop());

  test('a pod comes back with its service account, token volume, tolerations and priority', async () => {
    await k.ok(['create', 'namespace', 'pods1']);
    // At once: the ServiceAccount plug-in waits briefly for the controller to create `default`, as upstream.
    await k.ok(['-n', 'pods1', 'run', 'web', '--image=nginx']);
    const pod = await k.json(['-n', 'pods1', 'get', 'pod', 'web']);
    const spec = pod.spec;
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.serviceAccount, 'default');
    assert.equal(spec.priority, 0);
    assert.equal(spec.preemptionPolicy, 'PreemptLowerPriority');
    assert.equal(spec.enableServiceLinks, true);
    assert.deepEqual(spec.tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    assert.equal(spec.volumes.length, 1);
    const volume = spec.volumes[0];
    assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(volume.projected, {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    assert.deepEqual(spec.containers[0].volumeMounts, [{ name: volume.name, readOnly: true, mountPath: tokenPath }]);
  });

  test('init containers mount the token too; automountServiceAccountToken: false mounts nothing', async () => {
    await k.ok(['create', 'namespace', 'pods2']);
    await k.ok(['-n', 'pods2', 'apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: with-init}
spec:
  initContainers: [{name: init, image: busybox}]
  containers: [{name: main, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: no-token}
spec:
  automountServiceAccountToken: false
  containers: [{name: main, image: nginx}]
`);
    const withInit = await k.json(['-n', 'pods2', 'get', 'pod', 'with-init']);
    const name = withInit.spec.volumes[0].name;
    assert.deepEqual(withInit.spec.initContainers[0].volumeMounts, [{ name, readOnly: true, mountPath: tokenPath }]);
    assert.deepEqual(withInit.spec.containers[0].volumeMounts, [{ name, readOnly: true, mountPath: tokenPath }]);
    const noToken = await k.json(['-n', 'pods2', 'get', 'pod', 'no-token']);
    assert.equal(noToken.spec.volumes, undefined);
    assert.equal(noToken.spec.containers[0].volumeMounts, undefined);
    assert.equal(noToken.spec.serviceAccountName, 'default');
  });

  test('a pod naming a service account that does not exist is refused', async () => {
    const err = await k.fails(['-n', 'default', 'run', 'ghost', '--image=nginx', '--overrides', '{"spec":{"serviceAccountName":"nobody"}}']);
    assert.match(err, /pods "ghost" is forbidden: error looking up service account default\/nobody: serviceaccount "nobody" not found/);
  });

  test('priorityClassName gives the priority; the system classes exist; an unknown class is refused', async () => {
    const classes = await k.ok(['get', 'priorityclasses', '-o', 'name']);
    assert.match(classes, /priorityclass.scheduling.k8s.io\/system-cluster-critical/);
    assert.match(classes, /priorityclass.scheduling.k8s.io\/system-node-critical/);
    await k.ok(['-n', 'kube-system', 'run', 'critical', '--image=nginx', '--overrides', '{"spec":{"priorityClassName":"system-cluster-critical"}}']);
    const pod = await k.json(['-n', 'kube-system', 'get', 'pod', 'critical']);
    assert.equal(pod.spec.priority, 2000000000);
    const err = await k.fails(['-n', 'default', 'run', 'lowly', '--image=nginx', '--overrides', '{"spec":{"priorityClassName":"nope"}}']);
    assert.match(err, /pods "lowly" is forbidden: no PriorityClass with name nope was found/);
    // Only one global default.
    await k.ok(['create', 'priorityclass', 'first-default', '--value=10', '--global-default']);
    const second = await k.fails(['create', 'priorityclass', 'second-default', '--value=20', '--global-default']);
    assert.match(second, /PriorityClass first-default is already marked as default. Only one default can exist/);
    await k.ok(['-n', 'default', 'run', 'defaulted', '--image=nginx']);
    const defaulted = await k.json(['-n', 'default', 'get', 'pod', 'defaulted']);
    assert.equal(defaulted.spec.priorityClassName, 'first-default');
    assert.equal(defaulted.spec.priority, 10);
    await k.ok(['delete', 'priorityclass', 'first-default']);
  });

  test('a LimitRange defaults container resources and bounds them', async () => {
    await k.ok(['create', 'namespace', 'limits']);
    await k.ok(['-n', 'limits', 'apply', '-f', '-'], `apiVersion: v1
kind: LimitRange
metadata: {name: lr}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m}
    max: {cpu: "1"}
  - type: PersistentVolumeClaim
    max: {storage: 2Gi}
`);
    await eventually(async () => (await k.ok(['-n', 'limits', 'get', 'limitranges', '-o', 'name'])).includes('lr'), 'the LimitRange');
    await k.ok(['-n', 'limits', 'run', 'sized', '--image=nginx']);
    const pod = await k.json(['-n', 'limits', 'get', 'pod', 'sized']);
    assert.deepEqual(pod.spec.containers[0].resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '256Mi' } });
    assert.equal(pod.metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container sized; cpu, memory limit for container sized');
    const tooBig = await k.fails(['-n', 'limits', 'run', 'huge', '--image=nginx', '--overrides', '{"spec":{"containers":[{"name":"huge","image":"nginx","resources":{"limits":{"cpu":"2"}}}]}}']);
    assert.match(tooBig, /pods "huge" is forbidden: maximum cpu usage per Container is 1, but limit is 2/);
    // A second range with the same bound breaks the same way: upstream's aggregate says it once, without brackets.
    await k.ok(['-n', 'limits', 'apply', '-f', '-'], 'apiVersion: v1\nkind: LimitRange\nmetadata: {name: lr-again}\nspec: {limits: [{type: Container, max: {cpu: "1"}}]}\n');
    await eventually(async () => (await k.ok(['-n', 'limits', 'get', 'limitranges', '-o', 'name'])).includes('lr-again'), 'the second LimitRange');
    const twice = await k.fails(['-n', 'limits', 'run', 'huge', '--image=nginx', '--overrides', '{"spec":{"containers":[{"name":"huge","image":"nginx","resources":{"limits":{"cpu":"2"}}}]}}']);
    assert.match(twice, /pods "huge" is forbidden: maximum cpu usage per Container is 1, but limit is 2$/m);
    const bigClaim = await k.fails(['-n', 'limits', 'apply', '-f', '-'], `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: big}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
`);
    assert.match(bigClaim, /persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi/);
  });

  test('limit ranges, default classes: the request right after a change sees it (in-memory listers, never stale)', async () => {
    const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const pods = '/api/v1/namespaces/listed/pods';
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'listed' } })).status, 201);
    // Warm up: the plug-ins' listers start on first use and answer once synced.
    for (let i = 0; i < 5; i++) assert.equal((await server.request('POST', pods, pod(`warm-${i}`))).status, 201);
    await new Promise((r) => setTimeout(r, 300));
    const limits = { metadata: { name: 'lr' }, spec: { limits: [{ type: 'Container', default: { cpu: '300m' }, defaultRequest: { cpu: '30m' } }] } };
    assert.equal((await server.request('POST', '/api/v1/namespaces/listed/limitranges', limits)).status, 201);
    const limited = await server.request('POST', pods, pod('limited'));
    assert.equal(limited.status, 201, limited.text);
    assert.deepEqual(limited.json.spec.containers[0].resources, { limits: { cpu: '300m' }, requests: { cpu: '30m' } });
    assert.equal((await server.request('DELETE', '/api/v1/namespaces/listed/limitranges/lr')).status, 200);
    const free = await server.request('POST', pods, pod('free'));
    assert.deepEqual(free.json.spec.containers[0].resources, {});

    const classes = '/apis/scheduling.k8s.io/v1/priorityclasses';
    assert.equal((await server.request('POST', classes, { metadata: { name: 'fresh-default' }, value: 77, globalDefault: true })).status, 201);
    const ranked = await server.request('POST', pods, pod('ranked'));
    assert.deepEqual([ranked.json.spec.priorityClassName, ranked.json.spec.priority], ['fresh-default', 77]);
    assert.equal((await server.request('DELETE', `${classes}/fresh-default`)).status, 200);
    const plain = await server.request('POST', pods, pod('plain'));
    assert.deepEqual([plain.json.spec.priorityClassName, plain.json.spec.priority], [undefined, 0]);

    const storageClasses = '/apis/storage.k8s.io/v1/storageclasses';
    const claim = (name: string) => ({ metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    const claims = '/api/v1/namespaces/listed/persistentvolumeclaims';
    assert.equal((await server.request('POST', claims, claim('warm'))).status, 201);
    await new Promise((r) => setTimeout(r, 300));
    const annotations = { 'storageclass.kubernetes.io/is-default-class': 'true' };
    assert.equal((await server.request('POST', storageClasses, { metadata: { name: 'fresh-sc', annotations }, provisioner: 'example.com/none' })).status, 201);
    const classed = await server.request('POST', claims, claim('classed'));
    assert.equal(classed.json.spec.storageClassName, 'fresh-sc');
    assert.equal((await server.request('DELETE', `${storageClasses}/fresh-sc`)).status, 200);
  });

  test('PVCs and PVs carry their protection finalizers; a PVC without a class gets the default StorageClass', async () => {
    await k.ok(['apply', '-f', '-'], `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: example.com/none
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp/pv1}
`);
    await eventually(async () => (await k.ok(['get', 'storageclasses', '-o', 'name'])).includes('standard'), 'the StorageClass');
    await k.ok(['-n', 'default', 'apply', '-f', '-'], `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: claim}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`);
    const pvc = await k.json(['-n', 'default', 'get', 'pvc', 'claim']);
    assert.deepEqual(pvc.metadata.finalizers, ['kubernetes.io/pvc-protection']);
    assert.equal(pvc.spec.storageClassName, 'standard');
    const pv = await k.json(['get', 'pv', 'pv1']);
    assert.deepEqual(pv.metadata.finalizers, ['kubernetes.io/pv-protection']);
  });

  test('a RuntimeClass gives its pods overhead, node selector and tolerations; an unknown one is refused', async () => {
    await k.ok(['apply', '-f', '-'], `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: sandboxed}
handler: runsc
overhead: {podFixed: {cpu: 250m, memory: 64Mi}}
scheduling:
  nodeSelector: {sandbox: "true"}
  tolerations: [{key: sandbox, operator: Exists, effect: NoSchedule}]
`);
    assert.match(await k.ok(['get', 'runtimeclasses']), /^sandboxed\s+runsc\s+\d+s$/m);
    await k.ok(['-n', 'default', 'run', 'isolated', '--image=nginx', '--overrides', '{"spec":{"runtimeClassName":"sandboxed"}}']);
    const pod = await k.json(['-n', 'default', 'get', 'pod', 'isolated']);
    assert.deepEqual(pod.spec.overhead, { cpu: '250m', memory: '64Mi' });
    assert.deepEqual(pod.spec.nodeSelector, { sandbox: 'true' });
    assert.ok(pod.spec.tolerations.some((t: { key?: string; effect?: string }) => t.key === 'sandbox' && t.effect === 'NoSchedule'), JSON.stringify(pod.spec.tolerations));
    const err = await k.fails(['-n', 'default', 'run', 'nowhere', '--image=nginx', '--overrides', '{"spec":{"runtimeClassName":"missing"}}']);
    assert.match(err, /pods "nowhere" is forbidden: pod rejected: RuntimeClass "missing" not found/);
  });

  test('an Ingress without a class gets the default IngressClass', async () => {
    await k.ok(['apply', '-f', '-'], `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec: {controller: example.com/ingress}
`);
    await eventually(async () => (await k.ok(['get', 'ingressclasses', '-o', 'name'])).includes('nginx'), 'the IngressClass');
    await k.ok(['-n', 'default', 'create', 'ingress', 'web', '--rule=example.com/=web:80']);
    const ing = await k.json(['-n', 'default', 'get', 'ingress', 'web']);
    assert.equal(ing.spec.ingressClassName, 'nginx');
  });

  test('a bound claim grows only when its StorageClass allows volume expansion', async () => {
    await k.ok(['apply', '-f', '-'], `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fixed}
provisioner: example.com/none
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: growing, namespace: default}
spec: {storageClassName: fixed, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`);
    await k.ok(['-n', 'default', 'patch', 'pvc', 'growing', '--subresource=status', '-p', '{"status":{"phase":"Bound"}}']);
    const grow = ['-n', 'default', 'patch', 'pvc', 'growing', '-p', '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'];
    const refused = await k.fails(grow);
    assert.match(refused, /persistentvolumeclaims "growing" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize/);
    await k.ok(['patch', 'storageclass', 'fixed', '-p', '{"allowVolumeExpansion":true}']);
    // Admission reads StorageClasses from the watch cache, which follows the store within moments.
    await eventually(async () => (await k.run(grow)).code === 0, 'the claim to grow');
    assert.equal((await k.json(['-n', 'default', 'get', 'pvc', 'growing'])).spec.resources.requests.storage, '2Gi');
  });

  test('a new node is tainted not-ready:NoSchedule', async () => {
    await k.ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Node\nmetadata: {name: node1}\n');
    const node = await k.json(['get', 'node', 'node1']);
    assert.deepEqual(node.spec.taints, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
  });

  test('every namespace gets a default ServiceAccount and kube-root-ca.crt, back after they are deleted', async () => {
    const cfg = readFileSync(server.kubeconfig, 'utf8');
    const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(cfg)![1], 'base64').toString();
    await k.ok(['create', 'namespace', 'fresh']);
    const present = async () => {
      const sa = await k.ok(['-n', 'fresh', 'get', 'serviceaccounts', '-o', 'name']);
      const cm = await k.ok(['-n', 'fresh', 'get', 'configmaps', '-o', 'name']);
      return sa.includes('serviceaccount/default') && cm.includes('configmap/kube-root-ca.crt');
    };
    await eventually(present, 'the default ServiceAccount and kube-root-ca.crt');
    const cm = await k.json(['-n', 'fresh', 'get', 'configmap', 'kube-root-ca.crt']);
    assert.equal(cm.data['ca.crt'], ca);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      assert.match(await k.ok(['-n', ns, 'get', 'serviceaccount', 'default', '-o', 'name']), /serviceaccount\/default/);
    }
    const oldUid = (await k.json(['-n', 'fresh', 'get', 'serviceaccount', 'default'])).metadata.uid;
    await k.ok(['-n', 'fresh', 'delete', 'serviceaccount', 'default']);
    await k.ok(['-n', 'fresh', 'delete', 'configmap', 'kube-root-ca.crt']);
    await eventually(present, 'both back after deletion');
    assert.notEqual((await k.json(['-n', 'fresh', 'get', 'serviceaccount', 'default'])).metadata.uid, oldUid);
    // An edited CA is put back.
    await k.ok(['-n', 'fresh', 'patch', 'configmap', 'kube-root-ca.crt', '-p', '{"data":{"ca.crt":"tampered"}}']);
    await eventually(async () => (await k.json(['-n', 'fresh', 'get', 'configmap', 'kube-root-ca.crt'])).data['ca.crt'] === ca, 'the CA restored');
  });

  test('kubectl create deployment in a brand-new namespace works', async () => {
    await k.ok(['create', 'namespace', 'brand-new']);
    await k.ok(['-n', 'brand-new', 'create', 'deployment', 'web', '--image=nginx']);
    await k.ok(['-n', 'brand-new', 'run', 'now', '--image=nginx']);
  });
});

describe('admission and controller flags', () => {
  test('an unknown admission plug-in name stops the server, listing the known ones', async (t) => {
    await assert.rejects(startServer({ args: ['--enable-admission-plugins', 'NamespaceLifecycle,NoSuchPlugin'], t }), (e: Error) => {
      assert.match(e.message, /enable-admission-plugins plugin "NoSuchPlugin" is unknown/);
      assert.match(e.message, /known plugins: AlwaysAdmit, .*ServiceAccount, .*ValidatingAdmissionWebhook, ResourceQuota, AlwaysDeny/);
      return true;
    });
  });

  describe('plug-ins and controllers turned off, AlwaysPullImages on', () => {
    let server: TestServer;
    let k: ReturnType<typeof runner>;
    before(async () => {
      server = await startServer({
        args: [
          '--disable-admission-plugins',
          'ServiceAccount,DefaultTolerationSeconds,Priority,StorageObjectInUseProtection',
          '--enable-admission-plugins',
          'AlwaysPullImages',
          '--controllers',
          '*,-serviceaccount-controller,-root-ca-cert-publisher',
        ],
      });
      k = runner(server);
    });
    after(async () => server?.stop());

    test('a pod comes back without service account, token, tolerations or priority, pulling always', async () => {
      await k.ok(['-n', 'default', 'run', 'bare', '--image=nginx', '--image-pull-policy=IfNotPresent']);
      const pod = await k.json(['-n', 'default', 'get', 'pod', 'bare']);
      assert.equal(pod.spec.serviceAccountName, undefined);
      assert.equal(pod.spec.volumes, undefined);
      assert.equal(pod.spec.tolerations, undefined);
      assert.equal(pod.spec.priority, undefined);
      assert.equal(pod.spec.containers[0].imagePullPolicy, 'Always');
      await k.ok(['-n', 'default', 'apply', '-f', '-'], `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: claim}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`);
      assert.equal((await k.json(['-n', 'default', 'get', 'pvc', 'claim'])).metadata.finalizers, undefined);
    });

    test('a projected service account token needs a service account the plug-in no longer names', async () => {
      // Upstream's validatePodMetadataAndSpec; the deprecated serviceAccount stands in for serviceAccountName.
      const pod = (name: string, extra: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  ${extra}containers: [{name: c, image: nginx}]
  volumes: [{name: t, projected: {sources: [{configMap: {name: cm}}, {serviceAccountToken: {path: token}}]}}]
`;
      const stderr = await k.fails(['-n', 'default', 'create', '-f', '-'], pod('tokened', ''));
      assert.equal(
        stderr.trim(),
        'The Pod "tokened" is invalid: spec.volumes[0].projected.sources[1].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set',
      );
      await k.ok(['-n', 'default', 'create', '-f', '-'], pod('deprecated-name', 'serviceAccount: builder\n  '));
    });

    test('no default ServiceAccount or kube-root-ca.crt appears in a new namespace', async () => {
      await k.ok(['create', 'namespace', 'quiet']);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal((await k.ok(['-n', 'quiet', 'get', 'serviceaccounts', '-o', 'name'])).trim(), '');
      assert.equal((await k.ok(['-n', 'quiet', 'get', 'configmaps', '-o', 'name'])).trim(), '');
    });
  });
});
